// The soak's stand-in for Lambda's Invoke API, so the collect dispatcher's real LambdaShardInvoker
// (lib/aws/lambda-client.ts) hands its shards to the real collect-shard handler: an asynchronous
// invoke (InvocationType Event) is answered 202 at once and the handler runs in the background, as
// its own concurrent "container"; like Lambda's asynchronous invocation (serverless.yml:
// maximumRetryAttempts 2) a shard that throws is run up to twice more, then it counts as sent to the
// failure queue. `idle()` waits until every accepted invocation has finished.
import { createServer, type Server } from 'node:http';
import type { Context } from 'aws-lambda';
import { BackgroundWork, listenLocally, stopAfterWork } from './local-server';

export type AsyncHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface AsyncInvokeStats {
  accepted: number;
  runs: number;
  retried: number;
  /** Events whose every attempt failed: Lambda would send them to the on-failure destination. */
  failed: { functionName: string; error: string }[];
}

const RETRIES = 2;

export class LambdaEndpoint {
  readonly stats: AsyncInvokeStats = { accepted: 0, runs: 0, retried: 0, failed: [] };
  private server: Server | undefined;
  private readonly work = new BackgroundWork();

  constructor(
    private readonly functions: Map<string, AsyncHandler>,
    private readonly contextOf: (functionName: string) => Context,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        // POST /2015-03-31/functions/{FunctionName}/invocations
        const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? '');
        const name = m ? decodeURIComponent(m[1]!) : '';
        const handler = this.functions.get(name);
        const type = req.headers['x-amz-invocation-type'];
        if (!handler || type !== 'Event') {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ Type: 'User', message: `no async function ${name} (${type})` }));
          return;
        }
        let event: unknown;
        try {
          event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ Type: 'User', message: 'payload is not JSON' }));
          return;
        }
        this.stats.accepted += 1;
        this.work.add(this.runWithRetries(name, handler, event));
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end('');
      });
    });
    return listenLocally(this.server);
  }

  /** Resolves once every accepted invocation (with its retries) has finished. */
  idle(): Promise<void> {
    return this.work.idle();
  }

  stop(): Promise<void> {
    return stopAfterWork(this.server, this.work);
  }

  private async runWithRetries(name: string, handler: AsyncHandler, event: unknown) {
    let lastError = '';
    for (let attempt = 0; attempt <= RETRIES; attempt++) {
      if (attempt > 0) this.stats.retried += 1;
      this.stats.runs += 1;
      try {
        await handler(event, this.contextOf(name));
        return;
      } catch (err) {
        lastError = (err as Error).message;
      }
    }
    this.stats.failed.push({ functionName: name, error: lastError.slice(0, 300) });
  }
}
