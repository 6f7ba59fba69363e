// Circuit breakers with injected failures (a local endpoint that answers 500): once ECS's breaker
// opens, the scaler holds an approved decision — claimed, retryable by the sweep, never marked
// failed — without calling ECS; once a webhook's opens, a delivery fails without a request, so SNS
// retries it and the failure queue keeps it instead of it being dropped.
import http from 'node:http';
import { ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  breakerFor,
  breakerSnapshots,
  guardClient,
  resetBreakers,
} from '../../lib/breaker/breakers';
import { EcsScaler } from '../../lib/ecs/ecs-scaler';
import { deliverNotification } from '../../lib/slack/deliver';
import { executeDeps } from '../../lib/wiring/decisions';
import { decisionStore } from '../../lib/wiring/table';
import { localClientConfig } from '../../scripts/lib/local-stack';
import { CircuitOpenError } from '../../src/resilience/circuit-breaker';
import { executeDecision } from '../../src/use-cases/execute-decision';
import { isAbandoned } from '../../src/use-cases/sweep-decisions';
import { aDecision, aNotification } from '../support/builders';
import { freePort } from '../support/free-port';
import { freshLocalStack, localConfig } from '../support/local-aws';

let failing: http.Server;
let failingUrl: string;
let requests = 0;

beforeAll(async () => {
  const port = await freePort();
  failing = http.createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'ServerException', message: 'ECS is having a bad day' }));
    });
  });
  await new Promise<void>((resolve) => failing.listen(port, '127.0.0.1', resolve));
  failingUrl = `http://127.0.0.1:${port}`;
});

afterAll(() => new Promise<void>((resolve) => failing.close(() => resolve())));

beforeEach(() => {
  requests = 0;
  resetBreakers({ failureThreshold: 2, openForMs: 60_000 });
});

describe('the ECS breaker and the scaler', () => {
  it('holds the action once the breaker is open: no ECS call, the decision stays retryable', async () => {
    const stack = await freshLocalStack();
    const config = localConfig(stack.endpoint, stack.tableName);
    const ecs = guardClient(
      new ECSClient({ ...localClientConfig(failingUrl), maxAttempts: 1 }),
      'ecs',
    );
    const deps = { ...executeDeps(config), scaler: new EcsScaler(ecs, failingUrl) };
    const now = new Date();
    const decisions = [0, 1, 2].map((i) =>
      aDecision({
        serviceId: 'web',
        status: 'approved',
        requestedBy: 'operator:ops',
        at: new Date(now.getTime() - i * 1000).toISOString(),
      }),
    );
    for (const d of decisions) await decisionStore(config).putDecision(d, now);
    const switches = config.decisionSwitches;

    const outcomes = [];
    for (const d of decisions) outcomes.push(await executeDecision(deps, d, switches));
    const held = await decisionStore(config).getDecision('web', decisions[2]!.id);

    expect(outcomes).toEqual(['failed', 'failed', 'held']);
    expect(requests).toBe(2);
    expect(held).toMatchObject({ status: 'executing' });
    // The sweep takes a claim over once it is stale: the held action is tried again then.
    expect(isAbandoned(held!, new Date(now.getTime() + 3 * 60_000))).toBe(true);
    expect(breakerSnapshots()).toEqual([
      expect.objectContaining({ dependency: 'ecs', state: 'open', consecutiveFailures: 2 }),
    ]);
  });
});

const notification = aNotification();

describe('the webhook breaker', () => {
  it('refuses a delivery without a request once open, so it is retried, not dropped', async () => {
    const targets = {
      urls: { slackUrl: async () => null, genericUrl: async () => `${failingUrl}/hook` },
      policy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 2000 },
    };

    for (let i = 0; i < 2; i++) {
      await expect(deliverNotification(targets, notification, new Date())).rejects.toThrow(
        /generic webhook answered 500/,
      );
    }
    const refused = deliverNotification(targets, notification, new Date());

    await expect(refused).rejects.toBeInstanceOf(CircuitOpenError);
    expect(requests).toBe(2);
    expect(breakerFor('generic-webhook').current()).toBe('open');
  });
});
