// A local serverless plugin, active only under `serverless offline` (on AWS the event source mapping
// does this itself): it makes serverless-offline-dynamodb-streams treat stream records as Lambda's
// mappings do in serverless.yml (functionResponseType ReportBatchItemFailures, maximumRetryAttempts,
// destinations.onFailure), and keeps its poller alive across an emulator that came back without
// its state.
//
// - A batch whose response lists batchItemFailures is a failure (the plugin took it as success):
//   it is retried, and once the retries are spent the records from the first failed one on go to
//   the stream event's on-failure queue (the plugin only knew a function's async destinations), as
//   a record `npm run replay-failures` re-drives: requestContext.functionArn names the function,
//   requestPayload holds the records (AWS sends their shard and sequence range instead; the
//   replay reads either).
// - Every few seconds it reads the table's stream ARN; when the table was created anew (an
//   emulator restarted without state, then `npm run local:up` again), the pollers are rebuilt on
//   the new stream instead of polling the old one forever.
const { DescribeTableCommand, DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { GetQueueUrlCommand, SendMessageCommand, SQSClient } = require('@aws-sdk/client-sqs');
const process = require('node:process');
const { clearInterval, setInterval } = require('node:timers');

const WATCH_MS = 3_000;

class BatchItemFailuresError extends Error {
  constructor(functionKey, failures) {
    super(`${functionKey} reported ${failures.length} failed record(s) in its batch`);
    this.name = 'BatchItemFailuresError';
    this.failures = failures;
  }
}

/** Marks what a consumer did with a batch so the dispatch knows whose records failed. */
function wrapRegistry(registry) {
  return {
    vigiaWrapped: true,
    get(functionKey) {
      const fn = registry.get(functionKey);
      return {
        setEvent: (event) => fn.setEvent(event),
        runHandler: async () => {
          let result;
          try {
            result = await fn.runHandler();
          } catch (err) {
            throw Object.assign(err instanceof Error ? err : new Error(String(err)), {
              vigiaFunctionKey: functionKey,
            });
          }
          const failures = (result && result.batchItemFailures) || [];
          if (failures.length > 0) {
            throw Object.assign(new BatchItemFailuresError(functionKey, failures), {
              vigiaFunctionKey: functionKey,
            });
          }
          return result;
        },
      };
    },
  };
}

/** The records still owed: from the first reported failure on (all of them after a throw). */
function remainingRecords(event, error) {
  const records = (event && event.Records) || [];
  if (!(error instanceof BatchItemFailuresError)) return records;
  const failed = new Set(error.failures.map((f) => String(f.itemIdentifier)));
  const first = records.findIndex((r) =>
    failed.has(String(r.dynamodb && r.dynamodb.SequenceNumber)),
  );
  return first < 0 ? records : records.slice(first);
}

/**
 * Patches the plugin's DynamodbStreams class (once). `functionNameOf(key)` gives the deployed name
 * (vigia-dev-decide) the failure record names, as Lambda's would.
 */
function patchDynamodbStreams(DynamodbStreams, { functionNameOf, log, watchMs = WATCH_MS }) {
  const proto = DynamodbStreams.prototype;
  if (proto.vigiaPatched) return false;
  proto.vigiaPatched = true;
  const originalCreate = proto.create;
  const originalEvent = proto._dynamodbStreamsEvent;
  const originalDispatch = proto._dispatchDestination;

  proto._dynamodbStreamsEvent = async function (functionKey, destinations, definition) {
    if (!this.lambda.vigiaWrapped) this.lambda = wrapRegistry(this.lambda);
    this.vigiaOnFailure = this.vigiaOnFailure || new Map();
    const target = definition.destinations && definition.destinations.onFailure;
    if (target) this.vigiaOnFailure.set(functionKey, target);
    this.vigiaTables = this.vigiaTables || new Map();
    if (definition.enabled !== false && !this.vigiaTables.has(definition.tableName)) {
      this.vigiaTables.set(definition.tableName, await this.vigiaStreamArn(definition.tableName));
    }
    return originalEvent.call(this, functionKey, destinations, definition);
  };

  proto._dispatchDestination = async function (destinations, requestPayload, outcome = {}) {
    const error = outcome.error;
    const functionKey = error && error.vigiaFunctionKey;
    const target = functionKey && this.vigiaOnFailure && this.vigiaOnFailure.get(functionKey);
    if (!target) return originalDispatch.call(this, destinations, requestPayload, outcome);
    const { pseudoParams, resolveDestinationArn, queueNameFromArn } = this.vigiaDestinations;
    const ctx = pseudoParams(
      this.options.region,
      this.options.accountId,
      (this.options.resources && this.options.resources.Resources) || {},
    );
    const arn = resolveDestinationArn(target, ctx);
    const records = remainingRecords(requestPayload, error);
    const body = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        functionArn: `arn:aws:lambda:${this.options.region}:${this.options.accountId}:function:${functionNameOf(functionKey)}`,
        condition: 'RetryAttemptsExhausted',
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      requestPayload: { Records: records },
      responsePayload: { errorType: error.name, errorMessage: error.message },
    };
    try {
      const sqs = (this.vigiaSqs = this.vigiaSqs || new SQSClient(this.vigiaClientConfig()));
      const { QueueUrl } = await sqs.send(
        new GetQueueUrlCommand({ QueueName: queueNameFromArn(arn) }),
      );
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(body) }));
      log(
        `stream ${functionKey}: ${records.length} record(s) failed every retry; sent to the failure queue`,
      );
    } catch (err) {
      log(`stream ${functionKey}: could not reach the failure queue (${err && err.message})`);
    }
  };

  proto.vigiaStreamArn = async function (tableName) {
    const dynamo = (this.vigiaDynamo =
      this.vigiaDynamo || new DynamoDBClient(this.vigiaClientConfig()));
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    return Table && Table.LatestStreamArn;
  };

  proto.create = async function (events) {
    this.vigiaEvents = events;
    const created = await originalCreate.call(this, events);
    if (!this.vigiaWatch) {
      this.vigiaWatch = setInterval(() => void this.vigiaCheckStreams(), watchMs);
      this.vigiaWatch.unref();
    }
    return created;
  };

  const originalStop = proto.stop;
  proto.stop = function (...args) {
    if (this.vigiaWatch) clearInterval(this.vigiaWatch);
    this.vigiaWatch = undefined;
    return originalStop.apply(this, args);
  };

  /** A table whose stream ARN changed was created anew: poll the new stream from its start. */
  proto.vigiaCheckStreams = async function () {
    if (this.vigiaChecking || !this.vigiaTables) return;
    this.vigiaChecking = true;
    try {
      await this.vigiaCheckTables();
    } finally {
      this.vigiaChecking = false;
    }
  };

  proto.vigiaCheckTables = async function () {
    for (const [tableName, known] of this.vigiaTables) {
      let current;
      try {
        current = await this.vigiaStreamArn(tableName);
      } catch {
        continue; // emulator down, or the table not created yet: ask again later
      }
      if (!current || current === known) continue;
      try {
        log(`stream of ${tableName} is new (${current}): restarting its pollers`);
        for (const readable of this.readables) {
          readable.pause();
          readable.unpipe();
          readable.destroy();
        }
        this.readables = [];
        this.vigiaTables = new Map();
        await proto.create.call(this, this.vigiaEvents);
        this.start();
      } catch (err) {
        log(`stream pollers not restarted yet (${err && err.message}); trying again`);
        this.vigiaTables.set(tableName, known);
      }
      return;
    }
  };

  return true;
}

/** Loads the stream plugin's modules from the service directory and patches them. */
function patchFrom(dir, options) {
  const resolve = (m) => require.resolve(m, { paths: [dir] });
  const DynamodbStreams = require(
    resolve('serverless-offline-dynamodb-streams/src/dynamodb-streams.js'),
  );
  const destinations = require(resolve('serverless-offline-dynamodb-streams/src/destinations.js'));
  const { buildClientConfig } = require(
    resolve('serverless-offline-dynamodb-streams/src/client-config.js'),
  );
  DynamodbStreams.prototype.vigiaDestinations = destinations;
  DynamodbStreams.prototype.vigiaClientConfig = function () {
    return buildClientConfig(this.options);
  };
  return patchDynamodbStreams(DynamodbStreams, options);
}

class OfflineStreamFailuresPlugin {
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options;
    const patch = () => {
      const dir = serverless.serviceDir || serverless.config.servicePath;
      const service = serverless.service.service;
      const stage = serverless.service.provider.stage;
      const log = (line) => process.stderr.write(`${line}\n`);
      patchFrom(dir, {
        functionNameOf: (key) =>
          `${service}-${(this.options && this.options.stage) || stage}-${key}`,
        log,
      });
    };
    this.hooks = { 'before:offline:start': patch, 'before:offline:start:init': patch };
  }
}

module.exports = OfflineStreamFailuresPlugin;
module.exports.patchFrom = patchFrom;
module.exports.patchDynamodbStreams = patchDynamodbStreams;
module.exports.BatchItemFailuresError = BatchItemFailuresError;
