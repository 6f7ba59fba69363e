// The real handlers (middy stacks included) invoked in-process with the sample events in events/,
// against the emulator: what `serverless invoke local --path events/…` would do.
import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { freshLocalStack, localAdapters, useStackEnvironment } from '../support/local-aws';

const event = (name: string) => JSON.parse(readFileSync(`events/${name}`, 'utf8'));
const context = {
  functionName: 'vigia-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:vigia-test',
  memoryLimitInMB: '256',
  awsRequestId: 'test-request',
  logGroupName: '/aws/lambda/vigia-test',
  logStreamName: 'test',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

let stack: Awaited<ReturnType<typeof freshLocalStack>>;
let handlers: {
  collect: (e: unknown, c: Context) => Promise<unknown>;
  decide: (e: unknown, c: Context) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
  scale: (e: unknown, c: Context) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
  autoscale: (
    e: unknown,
    c: Context,
  ) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
};

beforeAll(async () => {
  stack = await freshLocalStack();
  useStackEnvironment(stack);
  handlers = {
    collect: (await import('../../functions/collect')).handler as never,
    decide: (await import('../../functions/decide')).handler as never,
    scale: (await import('../../functions/scale')).handler as never,
    autoscale: (await import('../../functions/autoscale')).handler as never,
  };
});

beforeEach(async () => {
  stack = await freshLocalStack();
});

describe('handlers with the sample events', () => {
  it('collect runs a tick for the scheduled time and reports every service', async () => {
    const result = (await handlers.collect(event('schedule.collect.json'), context)) as {
      tickAt: string;
      services: number;
    };

    expect(result).toMatchObject({ tickAt: '2026-11-22T10:01:00.000Z', services: 3 });
  });

  it('collect rejects a scheduled event with a malformed time, naming the field', async () => {
    await expect(handlers.collect({ time: 'yesterday' }, context)).rejects.toThrow(
      /scheduled event is invalid: time/,
    );
  });

  it('decide reports only the record of an unknown service as failed, and still decides the good one', async () => {
    const response = await handlers.decide(
      event('dynamodb-stream.insert-anomaly-unknown-service.json'),
      context,
    );

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '100000000000000000002' }]);
    const { store } = localAdapters(stack.endpoint, stack.tableName);
    expect(
      await store.getDecision('web', 'web~2026-11-22T10:00:00.000Z~cpu~decision'),
    ).toMatchObject({
      action: 'scale-out',
    });
    expect(await store.decisionsSince('ghost', new Date(0))).toEqual([]);
  });

  it('scale executes an approved decision on ECS once, however often the record is delivered', async () => {
    const { store, aws } = localAdapters(stack.endpoint, stack.tableName);
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

    const first = await handlers.scale(record, context);
    const afterFirst = await aws.ecs.send(
      new DescribeServicesCommand({ cluster: 'vigia-demo', services: ['web'] }),
    );
    // An operator sets the count by hand; a redelivered record must not undo it.
    await aws.ecs.send(
      new UpdateServiceCommand({ cluster: 'vigia-demo', service: 'web', desiredCount: 3 }),
    );
    const second = await handlers.scale(record, context);

    expect(first.batchItemFailures).toEqual([]);
    expect(second.batchItemFailures).toEqual([]);
    expect(afterFirst.services?.[0]?.desiredCount).toBe(4);
    const ecs = await aws.ecs.send(
      new DescribeServicesCommand({ cluster: 'vigia-demo', services: ['web'] }),
    );
    expect(ecs.services?.[0]?.desiredCount).toBe(3);
    expect((await store.getDecision('web', image.id.S))?.status).toBe('executed');
  });

  it('autoscale turns a pushed reading into one target-scaling decision, however often delivered', async () => {
    const { store } = localAdapters(stack.endpoint, stack.tableName);
    // The sample event's reading, moved to 15 s ago: older readings are not acted on.
    const record = event('dynamodb-stream.insert-reading.json');
    const at = new Date(Date.now() - 15_000).toISOString();
    record.Records[0].dynamodb.NewImage.at = { S: at };

    const first = await handlers.autoscale(record, context);
    const second = await handlers.autoscale(record, context);

    expect(first.batchItemFailures).toEqual([]);
    expect(second.batchItemFailures).toEqual([]);
    const decisions = await store.decisionsSince('web', new Date(Date.now() - 60_000));
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({
      id: `web~${at}~target~decision`,
      action: 'scale-out',
      fromCount: 2,
      toCount: 4,
      status: 'approved',
      requestedBy: 'vigia:autoscale',
    });
  });

  it('autoscale fails only a malformed reading, and still sizes on the good one', async () => {
    const { store } = localAdapters(stack.endpoint, stack.tableName);
    const good = event('dynamodb-stream.insert-reading.json').Records[0];
    good.dynamodb.NewImage.at = { S: new Date(Date.now() - 15_000).toISOString() };
    const bad = structuredClone(good);
    bad.dynamodb.SequenceNumber = '7700000000000000000078';
    bad.dynamodb.NewImage.cpu = { S: 'high' };

    const result = await handlers.autoscale({ Records: [bad, good] }, context);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '7700000000000000000078' }]);
    expect(await store.decisionsSince('web', new Date(Date.now() - 60_000))).toHaveLength(1);
  });
});
