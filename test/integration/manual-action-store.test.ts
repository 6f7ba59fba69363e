// A manual action's decision, audit entry and Idempotency-Key record go in together or not at all.
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { idempotencyKey } from '../../lib/store/keys';
import { ManualActionStore } from '../../lib/store/manual-action-store';
import { Table } from '../../lib/store/table';
import type { Decision } from '../../src/model';
import { freshLocalStack, localAdapters } from '../support/local-aws';

let stack: Awaited<ReturnType<typeof freshLocalStack>>;
let a: ReturnType<typeof localAdapters>;
let manual: ManualActionStore;
const now = new Date('2026-11-22T10:00:00.000Z');

beforeEach(async () => {
  stack = await freshLocalStack();
  a = localAdapters(stack.endpoint, stack.tableName);
  manual = new ManualActionStore(a.table);
});

function decision(requestId: string, toCount = 5): Decision {
  const anomalyId = `web~${now.toISOString()}~manual-${requestId}`;
  return {
    id: `${anomalyId}~decision`,
    serviceId: 'web',
    anomalyId,
    at: now.toISOString(),
    action: 'scale-out',
    fromCount: 2,
    toCount,
    reason: `manual scale to ${toCount} tasks`,
    mode: 'auto',
    status: 'approved',
    requestedBy: 'api:ops',
    result: null,
  };
}

const audit = (requestId: string, d: Decision) => ({
  id: requestId,
  serviceId: 'web',
  at: now.toISOString(),
  type: 'scale',
  requestedBy: 'api:ops',
  detail: 'scale 2 → 5',
  decisionId: d.id,
});

async function auditEntries() {
  const out = await a.aws.dynamo.send(
    new QueryCommand({
      TableName: stack.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :kind',
      ExpressionAttributeValues: { ':kind': 'ACTION' },
    }),
  );
  return out.Items ?? [];
}

describe('manual action store', () => {
  it('writes the decision with its audit entry, and a retry with the same key acts once', async () => {
    const claim = { apiKeyId: 'k1', key: 'retry-me', fingerprint: 'f1' };
    const first = decision('req1');
    const retry = decision('req2');

    const created = await manual.record(first, audit('req1', first), claim, now);
    const repeated = await manual.record(retry, audit('req2', retry), claim, now);

    expect(created).toEqual({ kind: 'created' });
    expect(repeated).toEqual({ kind: 'repeated', decisionId: first.id });
    expect(await a.store.getDecision('web', first.id)).toMatchObject({ status: 'approved' });
    expect(await a.store.getDecision('web', retry.id)).toBeNull();
    expect((await auditEntries()).map((e) => e.decisionId)).toEqual([first.id]);
  });

  it('refuses a key reused for a different request, writing nothing', async () => {
    const first = decision('req1');
    const other = decision('req2', 7);
    await manual.record(
      first,
      audit('req1', first),
      { apiKeyId: 'k1', key: 'x', fingerprint: 'f1' },
      now,
    );

    const reused = await manual.record(
      other,
      audit('req2', other),
      { apiKeyId: 'k1', key: 'x', fingerprint: 'f2' },
      now,
    );

    expect(reused).toEqual({ kind: 'key-reused' });
    expect(await a.store.getDecision('web', other.id)).toBeNull();
    expect(await auditEntries()).toHaveLength(1);
  });

  it('scopes keys to the API key that sent them', async () => {
    const mine = decision('req1');
    const theirs = decision('req2');
    await manual.record(
      mine,
      audit('req1', mine),
      { apiKeyId: 'k1', key: 'x', fingerprint: 'f' },
      now,
    );

    const out = await manual.record(
      theirs,
      audit('req2', theirs),
      { apiKeyId: 'k2', key: 'x', fingerprint: 'f' },
      now,
    );

    expect(out).toEqual({ kind: 'created' });
    const record = await a.aws.dynamo.send(
      new GetCommand({ TableName: stack.tableName, Key: idempotencyKey('k2', 'x') }),
    );
    expect(record.Item).toMatchObject({ decisionId: theirs.id, kind: 'idempotency' });
    expect(record.Item!.expiresAt).toBeGreaterThan(now.getTime() / 1000);
  });

  it('leaves no decision when its audit entry cannot be written', async () => {
    const first = decision('req1');
    await manual.record(first, audit('req1', first), null, now);
    const second = decision('req9');

    // The same audit id at the same instant: the audit put fails, so the decision must not exist.
    const out = await manual.record(second, audit('req1', first), null, now);

    // Not 'repeated': that would answer with a decision id that was never stored.
    expect(out.kind).toBe('conflict');
    expect(await a.store.getDecision('web', second.id)).toBeNull();
  });
});

describe('manual action store on a transaction conflict (real DynamoDB only)', () => {
  /** The store over a client whose next TransactWriteItems is cancelled as DynamoDB cancels a
   * transaction that raced another on the same items: no condition failed, nothing was written. */
  function conflictingOnce() {
    const real = a.table.db;
    let conflicts = 1;
    const db = {
      send(command: unknown) {
        if (command instanceof TransactWriteCommand && conflicts-- > 0) {
          const err = Object.assign(
            new Error('Transaction cancelled [None, TransactionConflict]'),
            {
              name: 'TransactionCanceledException',
              CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
            },
          );
          return Promise.reject(err);
        }
        return real.send(command as never);
      },
    };
    return new ManualActionStore(new Table(db as never, a.table.name, a.table.endpoint));
  }

  it('never answers with a decision that was not stored', async () => {
    const d = decision('req1');
    const claim = { apiKeyId: 'k1', key: 'raced', fingerprint: 'f1' };

    const out = await conflictingOnce().record(d, audit('req1', d), claim, now);

    expect(out).toEqual({ kind: 'conflict' });
    expect(await a.store.getDecision('web', d.id)).toBeNull();
  });

  it('answers with the winner when the other request with the key committed', async () => {
    const winner = decision('req1');
    const loser = decision('req2');
    const claim = { apiKeyId: 'k1', key: 'raced', fingerprint: 'f1' };
    await manual.record(winner, audit('req1', winner), claim, now);

    const out = await conflictingOnce().record(loser, audit('req2', loser), claim, now);

    expect(out).toEqual({ kind: 'repeated', decisionId: winner.id });
  });
});
