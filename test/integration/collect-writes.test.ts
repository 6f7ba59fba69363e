// What one collector tick writes: one models item per service (every series in it), not one per
// series; models of the older per-series layout are folded into it and removed.
import { beforeEach, describe, expect, it } from 'vitest';
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../../lib/aws/dynamo-client';
import { modelStore } from '../../lib/wiring/table';
import { collectTick } from '../../src/use-cases/collect-tick';
import { collectStack, minute } from '../support/collect-stack';

const start = 29_400_000; // an epoch minute

let env: Awaited<ReturnType<typeof setup>>;
/** The sort key of every item PutItem writes, in order. */
const puts: string[] = [];
const recording = new Set<string>();

async function setup() {
  const { stack, a, feeder, tasks, deps } = await collectStack();
  // The same client (one per endpoint) in every test: the recorder goes on it once.
  if (!recording.has(a.config.endpoint!)) recording.add(a.config.endpoint!);
  else return { stack, a, feeder, tasks, deps };
  dynamoClient(a.config).middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'PutItemCommand') {
        const input = args.input as { Item?: { sk?: string | { S?: string } } };
        const sk = input.Item?.sk;
        puts.push(typeof sk === 'string' ? sk : (sk?.S ?? ''));
      }
      return next(args);
    },
    { step: 'initialize', name: 'recordPuts' },
  );
  return { stack, a, feeder, tasks, deps };
}

beforeEach(async () => {
  env = await setup();
});

async function modelItems(serviceId: string) {
  const out = await env.a.table.send(
    new QueryCommand({
      TableName: env.stack.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :m)',
      ExpressionAttributeValues: { ':pk': `SVC#${serviceId}`, ':m': 'MODEL' },
    }),
  );
  return (out.Items ?? []).map((i) => String(i.sk));
}

describe('collect writes', () => {
  it('saves one models item per service per tick, whatever the number of series', async () => {
    await env.feeder.backfill(start - 30, start + 1, env.tasks);
    await collectTick(env.deps, minute(start + 1));
    await env.feeder.put(env.feeder.datums(start + 1, env.tasks));
    puts.length = 0;

    const result = await collectTick(env.deps, minute(start + 2));

    expect(result).toMatchObject({ services: 3, series: 6, failures: [] });
    const modelPuts = puts.filter((sk) => sk.startsWith('MODEL'));
    expect(modelPuts).toHaveLength(3);
    for (const s of env.a.services) expect(await modelItems(s.id)).toEqual(['MODELS']);
    expect((await env.a.store.loadModels('web')).map((m) => m.metric).sort()).toEqual([
      'cpu',
      'memory',
    ]);
  });

  it('folds the per-series models of the older layout in, learning on from where they were', async () => {
    await env.feeder.backfill(start - 30, start + 1, env.tasks);
    await collectTick(env.deps, minute(start + 1));
    // Turn web's models back into the older layout: one item per series, no MODELS item.
    const records = await modelStore(env.a.config).loadModels('web');
    for (const r of records) {
      await env.a.table.send(
        new PutCommand({
          TableName: env.stack.tableName,
          Item: {
            pk: 'SVC#web',
            sk: `MODEL#${r.metric}`,
            kind: 'model',
            serviceId: 'web',
            metric: r.metric,
            state: JSON.stringify(r.state),
            version: 7,
          },
        }),
      );
    }
    await env.a.table.send(
      new DeleteCommand({ TableName: env.stack.tableName, Key: { pk: 'SVC#web', sk: 'MODELS' } }),
    );
    expect((await modelItems('web')).sort()).toEqual(['MODEL#cpu', 'MODEL#memory']);
    await env.feeder.put(env.feeder.datums(start + 1, env.tasks));

    const result = await collectTick(env.deps, minute(start + 2));

    // One new minute per service: web's folded models knew everything up to the last tick.
    expect(result).toMatchObject({ services: 3, series: 6, samples: 3, failures: [] });
    expect(await modelItems('web')).toEqual(['MODELS']);
    const folded = await modelStore(env.a.config).loadModels('web');
    expect(folded.map((m) => [m.metric, m.version]).sort()).toEqual([
      ['cpu', 8],
      ['memory', 8],
    ]);
  });
});
