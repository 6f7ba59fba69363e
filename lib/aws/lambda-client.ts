// The Lambda client and the collect dispatcher's shard invoker: each shard an asynchronous invoke
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
