// The scheduled sweep and verify find their work in the pending-decisions index (the table's sparse
// `pending` gsi): their reads each minute grow with the decisions still pending, not with the
// number of services. A decision joins the index when written needing follow-up and leaves it once
// verified, or when found finished; a decision that moved on since it was read stays in.
import { beforeEach, describe, expect, it } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../../lib/aws/dynamo-client';
import { DynamoPendingDecisions } from '../../lib/store/decision-pending';
import { decisionSk, servicePk } from '../../lib/store/keys';
import type { Service } from '../../src/model';
import type { ServiceRegistry } from '../../src/ports';
import { decideOnAnomaly } from '../../src/use-cases/decide-on-anomaly';
import { executeDecision } from '../../src/use-cases/execute-decision';
import { sweepUnfinishedDecisions } from '../../src/use-cases/sweep-decisions';
import { verifyActions } from '../../src/use-cases/verify-actions';
import { T0, at, decisionStack, ruleSwitches } from './decision-fixtures';

let env: Awaited<ReturnType<typeof decisionStack>>;
const clockAt = (minute: number) => ({ now: () => new Date(Date.parse(at(minute))) });
/** DynamoDB reads (Query, GetItem, BatchGetItem, Scan) made, by command name. */
const reads: string[] = [];
const recording = new Set<string>();

beforeEach(async () => {
  env = await decisionStack();
  const endpoint = env.a.config.endpoint!;
  if (!recording.has(endpoint)) {
    recording.add(endpoint);
    dynamoClient(env.a.config).middlewareStack.add(
      (next, context) => async (args) => {
        if (/^(Query|GetItem|BatchGetItem|Scan)Command$/.test(String(context.commandName)))
          reads.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'recordReads' },
    );
  }
  reads.length = 0;
});

/** web (the demo service the fixtures act on) and `n - 1` more services with nothing pending. */
async function fleetOf(n: number): Promise<ServiceRegistry> {
  const web = (await env.deps.registry.list())[0]!;
  const services: Service[] = [
    web,
    ...Array.from({ length: n - 1 }, (_, i) => ({ ...web, id: `quiet-${i}`, name: `quiet-${i}` })),
  ];
  return {
    list: async () => services,
    get: async (id) => services.find((s) => s.id === id) ?? null,
  };
}

async function executedScaleOut() {
  const { decision } = await decideOnAnomaly(
    { ...env.deps, clock: clockAt(0) },
    await env.anomaly(0, 'cpu', { cpu: 93, memory: 50 }),
    ruleSwitches,
  );
  await executeDecision({ ...env.deps, clock: clockAt(0) }, decision, ruleSwitches);
  return decision;
}

const pendingIds = async () => (await env.deps.pending.pending()).map((d) => d.id);

describe('pending decisions', () => {
  it('sweep and verify read the same few items for a fleet of 40 as for a fleet of 1', async () => {
    const decision = await executedScaleOut();
    for (const minute of [1, 2]) await env.sample(minute, { cpu: 70, memory: 50 });
    const registry = await fleetOf(40);
    await env.deps.pending.pending(); // the container's first read (see the last test)

    reads.length = 0;
    const swept = await sweepUnfinishedDecisions(
      { ...env.deps, registry, clock: clockAt(3) },
      ruleSwitches,
    );
    const sweepReads = reads.length;
    reads.length = 0;
    const verified = await verifyActions(
      { ...env.deps, registry, clock: clockAt(3) },
      ruleSwitches,
    );

    expect(swept).toEqual({ finished: [], failures: [] });
    expect(verified).toMatchObject({ verified: [], waiting: 1, failures: [] });
    // The index, once each; verify then reads the samples of the one service with work.
    expect(sweepReads).toBe(1);
    expect(reads).toEqual(['QueryCommand', 'QueryCommand']);
    expect(await pendingIds()).toEqual([decision.id]);
  });

  it('a decision leaves the index when it is verified', async () => {
    const decision = await executedScaleOut();
    expect(await pendingIds()).toEqual([decision.id]);
    for (const minute of [1, 2, 3, 4, 5]) await env.sample(minute, { cpu: 48, memory: 50 });

    const verified = await verifyActions(
      { ...env.deps, clock: { now: () => new Date(T0 + 6 * 60_000) } },
      ruleSwitches,
    );

    expect(verified.verified).toEqual([
      expect.objectContaining({ decisionId: decision.id, outcome: 'resolved' }),
    ]);
    expect(await pendingIds()).toEqual([]);
    reads.length = 0;
    await verifyActions(
      { ...env.deps, clock: { now: () => new Date(T0 + 7 * 60_000) } },
      ruleSwitches,
    );
    expect(reads).toEqual(['QueryCommand']);
  });

  it('a failed decision leaves the index with its failure; one that moved on since it was read stays', async () => {
    const { decision } = await decideOnAnomaly(
      { ...env.deps, clock: clockAt(0) },
      await env.anomaly(0, 'cpu', { cpu: 93, memory: 50 }),
      ruleSwitches,
    );
    const [approved] = await env.deps.pending.pending();
    expect(approved).toMatchObject({ id: decision.id, status: 'approved' });

    // Claimed after it was read as approved: settling that stale view changes nothing.
    await env.deps.decisions.claimDecision('web', decision.id, new Date(at(1)), new Date(at(0)));
    await env.deps.pending.settle(approved!);
    expect(await pendingIds()).toEqual([decision.id]);

    await env.deps.decisions.finishDecision('web', decision.id, {
      status: 'failed',
      result: 'ECS said no',
      finishedAt: new Date(at(1)),
    });
    expect(await pendingIds()).toEqual([]);
    await sweepUnfinishedDecisions({ ...env.deps, clock: clockAt(2) }, ruleSwitches);
    expect((await env.a.store.getDecision('web', decision.id))?.status).toBe('failed');
  });

  it('indexes the decisions written before the index existed, once per table', async () => {
    const decision = await executedScaleOut();
    // As a decision written by the previous version: no index keys.
    await env.a.table.send(
      new UpdateCommand({
        TableName: env.stack.tableName,
        Key: { pk: servicePk('web'), sk: decisionSk(decision.id) },
        UpdateExpression: 'REMOVE pendingPk, pendingSk',
      }),
    );
    const firstContainer = new DynamoPendingDecisions(env.a.table, () => new Date(at(3)));
    expect((await firstContainer.pending()).map((d) => d.id)).toEqual([decision.id]);

    reads.length = 0;
    const nextContainer = new DynamoPendingDecisions(env.a.table, () => new Date(at(4)));
    expect((await nextContainer.pending()).map((d) => d.id)).toEqual([decision.id]);
    // A look at the marker, then the index alone.
    expect(reads).toEqual(['GetItemCommand', 'QueryCommand']);
  });
});
