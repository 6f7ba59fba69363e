// A queue worker at zero tasks (minTasks 0): messages waiting on its SQS queue reach the collector's
// sample as queue_backlog, target scaling (autoscale) starts enough workers to drain them in
// backlogDrainSeconds, and once the queue is empty it scales the worker back to zero.
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  CreateQueueCommand,
  PurgeQueueCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectDeps } from '../../lib/wiring/collect';
import { autoscaleDeps, executeDeps } from '../../lib/wiring/decisions';
import { observationStore } from '../../lib/wiring/table';
import type { ServiceRegistry } from '../../src/ports';
import { autoscaleOnReading, readingOfSample } from '../../src/use-cases/autoscale';
import { collectTick } from '../../src/use-cases/collect-tick';
import { executeDecision } from '../../src/use-cases/execute-decision';
import { localClientConfig } from '../../scripts/lib/local-stack';
import { aService, ruleSwitches } from '../support/builders';
import { freshLocalStack, localAdapters } from '../support/local-aws';

const worker = aService({
  id: 'worker',
  type: 'worker',
  ecs: { cluster: 'vigia-demo', service: 'worker' },
  minTasks: 0,
  maxTasks: 6,
  scaling: {
    // 2 s a message at 80% busy: 60 waiting messages drain in 60 s with ceil(60 × 2 / 48) = 3.
    queue: { name: 'orders', processingSeconds: 2, backlogDrainSeconds: 60 },
    scaleInCooldownSeconds: 0,
    scaleInStabilisationSeconds: 0,
    maxScaleInPercent: 100,
  },
});
const registry: ServiceRegistry = {
  list: async () => [worker],
  get: async (id) => (id === worker.id ? worker : null),
};
const clock = { now: () => new Date() };

let env: Awaited<ReturnType<typeof setup>>;

async function setup() {
  const stack = await freshLocalStack();
  const a = localAdapters(stack.endpoint, stack.tableName);
  const sqs = new SQSClient(localClientConfig(stack.endpoint));
  const queue = await sqs.send(new CreateQueueCommand({ QueueName: 'orders' }));
  await a.aws.ecs.send(
    new UpdateServiceCommand({ cluster: 'vigia-demo', service: 'worker', desiredCount: 0 }),
  );
  return { stack, a, sqs, queueUrl: queue.QueueUrl! };
}

beforeAll(async () => {
  env = await setup();
});

/** One collector tick, then what autoscale does with the sample it wrote, executed. */
async function tickAndScale(tickAt: Date) {
  const result = await collectTick({ ...collectDeps(env.a.config), registry, clock }, tickAt);
  expect(result.failures).toEqual([]);
  const sample = (await observationStore(env.a.config).latestSample('worker'))!;
  const outcome = await autoscaleOnReading(
    { ...autoscaleDeps(env.a.config), registry, clock },
    readingOfSample(sample),
    ruleSwitches,
  );
  if (outcome.kind === 'decided') {
    const decision = (await env.a.store.getDecision('worker', outcome.decisionId))!;
    await executeDecision({ ...executeDeps(env.a.config), registry }, decision, ruleSwitches);
  }
  return { sample, outcome };
}

async function desiredCount() {
  const out = await env.a.aws.ecs.send(
    new DescribeServicesCommand({
      cluster: 'vigia-demo',
      services: ['worker'],
    }),
  );
  return out.services![0]!.desiredCount;
}

describe('a queue worker', () => {
  it('starts from zero tasks when messages wait, and goes back to zero once they are done', async () => {
    for (let i = 0; i < 6; i++) {
      await env.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: env.queueUrl,
          Entries: Array.from({ length: 10 }, (_, j) => ({
            Id: `m${j}`,
            MessageBody: `order ${i * 10 + j}`,
          })),
        }),
      );
    }
    const now = Date.now();

    const busy = await tickAndScale(new Date(now));

    expect(busy.sample.metrics.queue_backlog).toBe(60);
    expect(busy.sample.ecs).toMatchObject({ desiredCount: 0, runningCount: 0 });
    expect(busy.outcome).toMatchObject({ kind: 'decided', action: 'scale-out', toCount: 3 });
    expect(await desiredCount()).toBe(3);

    await env.sqs.send(new PurgeQueueCommand({ QueueUrl: env.queueUrl }));
    const idle = await tickAndScale(new Date(now + 60_000));

    expect(idle.sample.metrics.queue_backlog).toBe(0);
    expect(idle.outcome).toMatchObject({ kind: 'decided', action: 'scale-in', toCount: 0 });
    expect(await desiredCount()).toBe(0);
  });
});
