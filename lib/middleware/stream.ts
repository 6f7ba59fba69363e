// The middy stack of DynamoDB stream consumers: each record handled alone, failures reported as
// partial batch failures so only the failing record is retried and then sent to the DLQ. Records
// are handled one after another, in stream order. A consumer whose records must apply in order
// (scale: one service's decisions) asks for `inOrderPerPartition`: once a record fails, the later
// records of its partition are held back with it, so a decision never overtakes the one before it.
// Every invocation leaves a heartbeat (heartbeat.ts); a batch with failed records counts as failed.
// Near its timeout an invocation starts no further record and reports the rest as failed, and a
// record's AWS calls are aborted, and the record failed, at its deadline before the timeout
// (lib/aws/deadline.ts): a record that runs out of time fails alone instead of the invocation.
// Everything about one batch (its processor, its first error) belongs to its invocation: one
// process may run a consumer's batches side by side (serverless offline, the soak), and a processor
// shared by the module let a second batch wipe the first one's failures (records reported done,
// never retried) and run its records under the other's deadline (past its own timeout).
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type {
  Context,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
} from 'aws-lambda';
import { correlationIdOf, logger } from '../logger';
import { telemetryMiddlewares } from '../telemetry/middleware';
import { withDeadline } from '../aws/deadline';
import { heartbeat, type HeartbeatOptions } from './heartbeat';
import { partitionOf, streamImage, type StreamImage } from '../store/stream-image';

export class HeldBackError extends Error {
  constructor(record: DynamoDBRecord) {
    super(
      `stream record ${record.eventID ?? '?'} held back: an earlier record of its partition failed`,
    );
    this.name = 'HeldBackError';
  }
}

/**
 * A record still to handle when the invocation is this close to its timeout, as a share of the time
 * it started with (at most 10 s), is not started: it is reported as failed, so the mapping retries
 * from it, instead of being cut by the timeout (an invocation error: the whole batch again).
 */
const RESERVE_SHARE = 1 / 3;
const MAX_RESERVE_MS = 10_000;
/** A record's AWS calls end this long before the timeout (half the reserve, at most 1 s). */
const MAX_DEADLINE_MARGIN_MS = 1_000;

export class OutOfTimeError extends Error {
  constructor(record: DynamoDBRecord) {
    super(
      `stream record ${record.eventID ?? '?'} not started: too little of the invocation's time left`,
    );
    this.name = 'OutOfTimeError';
  }
}

export interface StreamOptions {
  inOrderPerPartition?: boolean;
  /** Tests give the heartbeat their own store and name. */
  heartbeat?: Pick<HeartbeatOptions<DynamoDBBatchResponse>, 'store' | 'name'>;
}

export function streamHandler(
  handleRecord: (image: StreamImage, record: DynamoDBRecord) => Promise<void>,
  options: StreamOptions = {},
) {
  // The first failure of each invocation's batch, for its heartbeat.
  const firstErrors = new WeakMap<Context, string>();
  const run = async (
    event: DynamoDBStreamEvent,
    context: Context,
  ): Promise<DynamoDBBatchResponse> => {
    const processor = new BatchProcessor(EventType.DynamoDBStreams);
    const failedPartitions = new Set<string>();
    let firstError: string | null = null;
    firstErrors.delete(context);
    const noteFailure = (message: string) => {
      if (firstError !== null) return;
      firstError = message;
      firstErrors.set(context, message);
    };
    const remaining = () => context.getRemainingTimeInMillis?.() ?? Infinity;
    const reserveMs = Math.min(MAX_RESERVE_MS, remaining() * RESERVE_SHARE);
    const marginMs = Math.min(MAX_DEADLINE_MARGIN_MS, reserveMs / 2);
    const recordHandler = async (record: DynamoDBRecord) => {
      const partition = partitionOf(record);
      if (failedPartitions.has(partition)) throw new HeldBackError(record);
      if (remaining() < reserveMs) {
        if (options.inOrderPerPartition) failedPartitions.add(partition);
        noteFailure(`out of time after ${record.eventID ?? '?'}`);
        throw new OutOfTimeError(record);
      }
      try {
        const image = streamImage(record);
        // Every log line about this record names the anomaly its chain began with.
        const correlationId = correlationIdOf({ ...image.newImage, kind: image.kind });
        if (correlationId) logger.setCorrelationId(correlationId);
        else logger.removeKeys(['correlation_id']);
        const left = remaining();
        const run = () => handleRecord(image, record);
        await (Number.isFinite(left) ? withDeadline(left - marginMs, run) : run());
      } catch (err) {
        if (options.inOrderPerPartition) failedPartitions.add(partition);
        noteFailure((err as Error).message);
        logger.error('stream record failed', {
          eventId: record.eventID,
          keys: record.dynamodb?.Keys,
          error: err as Error,
        });
        throw err;
      }
    };
    // A batch whose every record failed is reported like any other, not thrown: a throw would be an
    // invocation error (the whole batch, bisected) rather than the retry from the first failure.
    return processPartialResponse(event, recordHandler, processor, {
      context,
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
  };
  return middy(run)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(telemetryMiddlewares())
    .use(
      heartbeat<DynamoDBStreamEvent, DynamoDBBatchResponse>({
        ...options.heartbeat,
        failureOf: (response, context) => {
          const failed = response?.batchItemFailures?.length ?? 0;
          const first = firstErrors.get(context) ?? null;
          return failed > 0 ? `${failed} stream record(s) failed, first: ${first}` : null;
        },
        // A throw escaped the batch processor (records are reported, not thrown): name it, and the
        // first record's error if one came before it.
        describeError: (err, context) => {
          const first = firstErrors.get(context);
          return first === undefined ? err.message : `${err.message}; first record error: ${first}`;
        },
      }),
    );
}
