// moto_server handles requests on several threads and does not make a conditional write atomic: two
// concurrent UpdateItems with the same condition can both succeed, which DynamoDB never allows. This
// proxy in front of moto runs DynamoDB writes one at a time (everything else passes straight
// through), so tests of "two invocations at once act once" test vigia, not the emulator's races.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const DYNAMODB_WRITES = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'TransactWriteItems',
  'BatchWriteItem',
]);

export interface AtomicWritesProxy {
  endpoint: string;
  close(): Promise<void>;
}

/** Longer than any test's own AWS request timeout (30 s on the local stack): only a hung call. */
const UPSTREAM_TIMEOUT_MS = 60_000;

export function startAtomicWritesProxy(target: string): Promise<AtomicWritesProxy> {
  const upstream = new URL(target);
  let queue: Promise<unknown> = Promise.resolve();

  // Every way a forwarded call can end settles it — its answer ending, failing or closing, the
  // request failing or closing, the client going away, or no answer within UPSTREAM_TIMEOUT_MS —
  // so one write that never ends cannot hold every later write in the queue (CI saw every e2e file
  // after one fail in set-up with ETIMEDOUT).
  const forward = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) =>
    new Promise<void>((resolve) => {
      const done = () => resolve();
      res.on('close', done);
      const out = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', done);
          answer.on('error', done);
          answer.on('close', done);
        },
      );
      out.setTimeout(UPSTREAM_TIMEOUT_MS, () =>
        out.destroy(new Error('no answer from the emulator')),
      );
      out.on('error', (err) => {
        if (!res.headersSent) res.writeHead(502);
        res.end(String(err));
        done();
      });
      out.on('close', done);
      out.end(body);
    });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('DynamoDB_20120810.') ? target.split('.')[1]! : '';
      if (DYNAMODB_WRITES.has(operation)) {
        queue = queue.then(() => forward(req, body, res));
      } else {
        void forward(req, body, res);
      }
    });
  });
  server.keepAliveTimeout = 1000;

  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
