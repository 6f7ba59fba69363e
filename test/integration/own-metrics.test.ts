// vigia's own metrics (issue 16 part 2): the real handlers, middy stacks included, against the
// emulator, print CloudWatch embedded-metric-format lines on stdout, flushed by the stack itself.
import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DescribeClustersCommand } from '@aws-sdk/client-ecs';
import { ecsClient } from '../../lib/aws/ecs-client';
import { resetBreakers } from '../../lib/breaker/breakers';
import { freshLocalStack, localAdapters, useStackEnvironment } from '../support/local-aws';

// The metrics are built when their module loads, in the function's environment: set it first.
vi.hoisted(() => {
  process.env.AWS_LAMBDA_FUNCTION_NAME = 'vigia-test-fn';
  process.env.VIGIA_STAGE = 'test';
});

const event = (name: string) => JSON.parse(readFileSync(`events/${name}`, 'utf8'));
const context = {
  functionName: 'vigia-test',
  awsRequestId: 'test-request',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:vigia-test',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

interface EmfLine {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] };
  [key: string]: unknown;
}

let stack: Awaited<ReturnType<typeof freshLocalStack>>;
let handlers: {
  collect: (e: unknown, c: Context) => Promise<unknown>;
  decide: (e: unknown, c: Context) => Promise<unknown>;
  scale: (e: unknown, c: Context) => Promise<unknown>;
};
let printed: string[] = [];

beforeAll(async () => {
  stack = await freshLocalStack();
  useStackEnvironment(stack);
  handlers = {
    collect: (await import('../../functions/collect')).handler as never,
    decide: (await import('../../functions/decide')).handler as never,
    scale: (await import('../../functions/scale')).handler as never,
  };
});

beforeEach(async () => {
  stack = await freshLocalStack();
  printed = [];
  // stdout for the EMF lines, stderr for what Powertools warns about.
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation((chunk: unknown, ...rest: unknown[]) => {
      printed.push(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
  resetBreakers();
});

function emfLines(): EmfLine[] {
  return printed
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"CloudWatchMetrics"'))
    .map((line) => JSON.parse(line) as EmfLine);
}

function emfWith(metric: string): EmfLine[] {
  return emfLines().filter((l) => metric in l);
}

describe('own metrics in embedded metric format', () => {
  it('a collect tick prints one EMF line: a tick, the services collected, the anomalies', async () => {
    await handlers.collect(event('schedule.collect.json'), context);

    const [line, ...more] = emfWith('Ticks');
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      Ticks: 1,
      ServicesCollected: 3,
      Anomalies: expect.any(Number),
      service: 'vigia-test-fn',
      stage: 'test',
    });
    expect(line!._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'vigia',
      Dimensions: [expect.arrayContaining(['service', 'stage'])],
    });
  });

  it('scale counts the decision by outcome and the action by kind, and times anomaly → ECS', async () => {
    const { store } = localAdapters(stack.endpoint, stack.tableName);
    const record = event('dynamodb-stream.insert-decision-approved.json');
    const image = record.Records[0].dynamodb.NewImage;
    await store.putDecision(
      {
        id: image.id.S,
        serviceId: 'web',
        anomalyId: image.anomalyId.S,
        at: image.at.S,
        action: 'scale-out',
        fromCount: 2,
        toCount: 4,
        reason: image.reason.S,
        mode: 'auto',
        status: 'approved',
        requestedBy: 'vigia:decide',
        result: null,
      },
      new Date(),
    );

    await handlers.scale(record, context);

    expect(emfWith('Executions')).toEqual([
      expect.objectContaining({ Executions: 1, outcome: 'executed', service: 'vigia-test-fn' }),
    ]);
    expect(emfWith('Actions')).toEqual([
      expect.objectContaining({ Actions: 1, action: 'scale-out' }),
    ]);
    const [latency] = emfWith('AnomalyToActionLatency');
    expect(latency?.AnomalyToActionLatency).toBeGreaterThan(0);
  });

  it('decide counts the decision it made by its outcome', async () => {
    const { store } = localAdapters(stack.endpoint, stack.tableName);

    await handlers.decide(event('dynamodb-stream.insert-anomaly.json'), context);

    const [decision] = await store.decisionsSince('web', new Date(0));
    expect(emfWith('Decisions')).toEqual([
      expect.objectContaining({ Decisions: 1, outcome: decision!.status, stage: 'test' }),
    ]);
    expect(emfWith('Decisions')[0]!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([
      expect.arrayContaining(['service', 'stage', 'outcome']),
    ]);
  });

  it('a call to an unreachable dependency is counted as its failure, once per call', async () => {
    const ecs = ecsClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      requestTimeoutMs: 500,
    });

    await expect(ecs.send(new DescribeClustersCommand({ clusters: ['x'] }))).rejects.toThrow();

    expect(emfWith('DependencyFailures')).toEqual([
      expect.objectContaining({ DependencyFailures: 1, dependency: 'ecs' }),
    ]);
  });

  it('an invocation that counted nothing prints no EMF line and no warning', async () => {
    await handlers.scale({ Records: [] }, context);

    expect(emfLines()).toEqual([]);
    expect(printed.join('')).not.toMatch(/No application metrics to publish/);
  });
});
