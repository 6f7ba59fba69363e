// moto computes no percentiles: GetMetricData with Stat p95 fails (a 500). This proxy in front of
// moto asks it for Maximum instead; tests put one datapoint per minute, where p95 and Maximum are the
// same number, so what reaches vigia is what CloudWatch would answer. Everything else passes through.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PercentileProxy {
  endpoint: string;
  /** Percentile stats seen in GetMetricData queries, e.g. ['p95']. */
  percentilesAsked: string[];
  close(): Promise<void>;
}

export function startPercentileProxy(target: string): Promise<PercentileProxy> {
  const upstream = new URL(target);
  const percentilesAsked: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      const headers = { ...req.headers };
      if (String(req.headers['x-amz-target'] ?? '').endsWith('.GetMetricData')) {
        const text = body
          .toString('utf8')
          .replace(/"Stat":"(p\d+(?:\.\d+)?)"/g, (_all, p: string) => {
            percentilesAsked.push(p);
            return '"Stat":"Maximum"';
          });
        body = Buffer.from(text, 'utf8');
        headers['content-length'] = String(body.length);
      }
      const out = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', (err) => res.writeHead(502).end(String(err)));
      out.end(body);
    });
  });
  server.keepAliveTimeout = 1000;
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        percentilesAsked,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
