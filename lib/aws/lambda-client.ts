// The Lambda clients — the collect dispatcher's shard invoker and the runbooks' (SPEC X7) — and the
// shard invoker: each shard an asynchronous invoke
// (InvocationType Event) of the collect-shard function. Lambda queues it, retries a failed shard
// alone and sends one that keeps failing to the failure queue (serverless.yml). Locally the client
// points at serverless offline's Lambda port, which runs the worker in the same way.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { CollectShard, ShardInvoker } from '../../src/ports';
import { awsError } from './errors';
import { countFaults } from '../breaker/breakers';
import { clientOptions, oncePerEndpoint, type AwsSettings } from './client-options';

/** Lambda's limit on an asynchronous invocation's payload. */
const MAX_EVENT_BYTES = 256 * 1024;

export const lambdaClient = /* @__PURE__ */ oncePerEndpoint((c) =>
  countFaults(new LambdaClient(clientOptions(c)), 'lambda'),
);

/** Longest a runbook may take (its own timeoutMs cuts it earlier): within scale's 30 s. */
export const RUNBOOK_REQUEST_TIMEOUT_MS = 25_000;

/**
 * For runbooks: one attempt, since a runbook whose answer was lost may have run and the SDK's retry
 * would run it a second time; the caller decides (held, then the sweep).
 */
export const lambdaRunbookClient = /* @__PURE__ */ oncePerEndpoint(
  (c) =>
    new LambdaClient({
      ...clientOptions({ ...c, requestTimeoutMs: RUNBOOK_REQUEST_TIMEOUT_MS }),
      maxAttempts: 1,
    }),
);

export class LambdaShardInvoker implements ShardInvoker {
  private readonly lambda: LambdaClient;

  constructor(
    private readonly settings: AwsSettings,
    private readonly functionName: string,
  ) {
    this.lambda = lambdaClient(settings);
  }

  async invoke(shard: CollectShard): Promise<void> {
    const payload = Buffer.from(JSON.stringify(shard));
    if (payload.length > MAX_EVENT_BYTES) {
      throw new Error(
        `shard ${shard.index} is ${payload.length} bytes, over Lambda's ${MAX_EVENT_BYTES} for an event: lower VIGIA_COLLECT_SHARD_SIZE`,
      );
    }
    const what = `Lambda function '${this.functionName}'`;
    const out = await this.lambda
      .send(
        new InvokeCommand({
          FunctionName: this.functionName,
          InvocationType: 'Event',
          Payload: payload,
        }),
      )
      .catch((err) => {
        throw awsError(err, what, this.settings.endpoint);
      });
    if (out.FunctionError || (out.StatusCode !== undefined && out.StatusCode !== 202)) {
      throw new Error(
        `${what} did not take shard ${shard.index}: ${out.StatusCode} ${out.FunctionError ?? ''}`.trim(),
      );
    }
  }
}
