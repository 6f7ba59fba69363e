// The Prometheus source when the server does not answer well: a server that hangs fails the query
// after the service's timeout, a closed port fails at once, and either is reported for that service
// alone while the other services' queries still arrive.
import http from 'node:http';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusSource } from '../../../lib/sources/prometheus-source';
import type { SourceFailure } from '../../../src/ports';
import { freePort } from '../../support/free-port';
import { aService } from '../../support/builders';

let hanging: http.Server;
let answering: http.Server;
let hangingUrl: string;
let answeringUrl: string;
const minute = Date.UTC(2026, 11, 2, 10, 0);

beforeAll(async () => {
  hanging = http.createServer(() => undefined); // never answers
  answering = http.createServer((req, res) => {
    req.resume();
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [{ metric: {}, values: [[minute / 1000 + 60, '7']] }],
        },
      }),
    );
  });
  const [p1, p2] = [await freePort(), await freePort()];
  await new Promise<void>((r) => hanging.listen(p1, '127.0.0.1', r));
  await new Promise<void>((r) => answering.listen(p2, '127.0.0.1', r));
  hangingUrl = `http://127.0.0.1:${p1}`;
  answeringUrl = `http://127.0.0.1:${p2}`;
});

afterAll(() => {
  hanging.closeAllConnections();
  hanging.close();
  answering.close();
});

describe('Prometheus source failures', () => {
  it('gives up on a hanging server after its timeout and on a closed port at once, the other service unharmed', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const source = new PrometheusSource({ ssm: {} as SSMClient });
    const services = [
      aService({
        id: 'slow',
        sources: {
          prometheus: { url: hangingUrl, queries: { requests: 'up' }, timeoutSeconds: 1 },
        },
      }),
      aService({
        id: 'gone',
        sources: { prometheus: { url: closed, queries: { requests: 'up' } } },
      }),
      aService({
        id: 'fine',
        sources: { prometheus: { url: answeringUrl, queries: { requests: 'up' } } },
      }),
      aService({ id: 'plain' }),
    ];
    const failures: SourceFailure[] = [];
    const started = Date.now();

    const batch = await source.fetch(services, new Date(minute), new Date(minute + 90_000), (f) =>
      failures.push(f),
    );

    expect(Date.now() - started).toBeLessThan(4_000);
    expect(batch.get('fine')?.get('requests')).toEqual([{ timestamp: minute, value: 7 }]);
    expect(batch.has('plain')).toBe(false);
    expect(failures).toEqual(
      expect.arrayContaining([
        {
          serviceId: 'slow',
          source: 'prometheus',
          error: `requests from ${hangingUrl}: no answer within 1 s`,
        },
        {
          serviceId: 'gone',
          source: 'prometheus',
          error: expect.stringMatching(
            new RegExp(`^requests from ${closed}: unreachable: .*ECONNREFUSED`),
          ),
        },
      ]),
    );
    expect(failures).toHaveLength(2);
  });
});
