// A manual scale through the api function's real handler against the emulator's ECS: it starts from
// the desired count ECS reports now, not from the last sample, so a scale-in reads as one.
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiRequest } from '../support/api-get';
import { aSample, anEcsState } from '../support/builders';
import { freshLocalStack, localAdapters, useStackEnvironment } from '../support/local-aws';

const now = Date.parse('2026-03-02T10:00:00.000Z');

async function scaleTo(desiredCount: number) {
  return apiRequest('POST', '/services/web/actions', {
    now: new Date(now),
    scopes: ['operate'],
    body: { type: 'scale', desiredCount },
  });
}

beforeAll(async () => {
  const stack = await freshLocalStack();
  useStackEnvironment(stack);
  const a = localAdapters(stack.endpoint, stack.tableName);
  // The last sample still says 2 tasks; meanwhile ECS was scaled to 8.
  await a.store.putSample(
    aSample({ at: new Date(now - 60_000).toISOString(), ecs: anEcsState({ desiredCount: 2 }) }),
    new Date(now),
  );
  await a.aws.ecs.send(
    new UpdateServiceCommand({ cluster: 'vigia-demo', service: 'web', desiredCount: 8 }),
  );
});

describe('a manual scale', () => {
  it('is a scale-in from the count ECS runs now', async () => {
    const res = await scaleTo(5);

    expect(res.status).toBe(202);
    expect(res.json.decision).toMatchObject({
      action: 'scale-in',
      fromCount: 8,
      toCount: 5,
      reason: 'manual scale to 5 tasks',
    });
  });
});
