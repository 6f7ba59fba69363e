// The notification log: exactly-once publishing on an at-least-once stream. A claim is a conditional
// put; a claim left 'sending' by a crashed run may be taken over once it is stale. The alerts topic's
// own subscriber marks a claim sent when the message reaches it (the echo of a Publish whose answer
// was lost, lib/sns/topic-echo.ts).
//
// States: 'sending' (claimed) → 'sent'; or, a Publish with no answer and no echo, 'sending' →
// 'unconfirmed' (the message kept in the entry, listed in the sparse index `pending` under
// NOTIFY#UNCONFIRMED) → 'sent' by the echo, or → 'sending' again when alert-timers republishes it,
// or → 'abandoned' after its last attempt. An 'unconfirmed' or 'abandoned' entry is never claimed
// again by notify: it is answered as already sent, so a stream retry does not publish it twice.
import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type {
  NotificationClaim,
  NotificationLog,
  OutboundMessage,
  UnconfirmedPublication,
  UnconfirmedPublications,
} from '../../src/ports';
import { isConditionalCheckFailed } from '../aws/errors';
import { expiresAt, notificationKey, pendingIndex, ttl, unconfirmedPending } from './keys';
import type { Table } from './table';

/** States after which notify's claim answers 'already-sent': the log, not the stream, owns them. */
const HANDED_OFF = new Set(['sent', 'unconfirmed', 'abandoned']);

const storedMessage = z.object({
  subject: z.string(),
  body: z.string(),
  attributes: z.object({
    severity: z.string(),
    service: z.string(),
    kind: z.string(),
    route: z.string().optional(),
  }),
  structure: z.literal('json').optional(),
});

const unconfirmedItem = z.object({
  pk: z.string(),
  message: storedMessage,
  attemptedAt: z.string(),
  attempts: z.number().int().positive(),
});

export class DynamoNotificationLog implements NotificationLog, UnconfirmedPublications {
  constructor(private readonly table: Table) {}

  async claim(
    key: string,
    now: Date,
    staleBefore: Date,
    owner?: string,
    retried = false,
  ): Promise<NotificationClaim> {
    // Without an owner (notify's publish), a token of this call: the SDK's own retry of a put that
    // landed but whose answer was lost still finds the claim its own.
    const token = owner ?? randomUUID();
    try {
      await this.table.send(
        new PutCommand({
          TableName: this.table.name,
          Item: {
            ...notificationKey(key),
            kind: 'notification',
            state: 'sending',
            claimedAt: now.toISOString(),
            owner: token,
            expiresAt: expiresAt(now, ttl.notificationDays),
          },
          ConditionExpression:
            'attribute_not_exists(pk) OR (#state = :sending AND claimedAt < :stale)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':stale': staleBefore.toISOString(),
          },
        }),
      );
      return 'claimed';
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      const existing = await this.table.send(
        new GetCommand({
          TableName: this.table.name,
          Key: notificationKey(key),
          ConsistentRead: true,
        }),
      );
      if (HANDED_OFF.has(existing.Item?.state as string)) return 'already-sent';
      // Our own claim: the put landed, its answer was lost, and the client's retry met it.
      if (existing.Item?.owner === token) return 'claimed';
      // Released between the put and the read: claim it again (once).
      if (existing.Item === undefined && !retried) {
        return this.claim(key, now, staleBefore, token, true);
      }
      return 'in-flight';
    }
  }

  async markSent(key: string, messageId: string, now: Date) {
    // The topic's echo may have marked it first: sent either way.
    if (!(await this.sendingToSent(key, messageId, now, false)) && !(await this.isSent(key)))
      throw new Error(`notification ${key} is neither being sent nor sent`);
  }

  /**
   * The topic's echo (its own subscriber received the message): a claim still 'sending' is sent.
   * Nothing happens to a key nobody claimed, or one already sent. True when it marked the claim.
   */
  async markSeenOnTopic(key: string, messageId: string, now: Date): Promise<boolean> {
    return this.sendingToSent(key, messageId, now, true);
  }

  /**
   * A claim still 'sending' (or 'unconfirmed') becomes 'sent' and leaves the unconfirmed index
   * (a conditional write); false when it was neither.
   */
  private async sendingToSent(
    key: string,
    messageId: string,
    now: Date,
    seenOnTopic: boolean,
  ): Promise<boolean> {
    try {
      await this.table.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: notificationKey(key),
          UpdateExpression: `SET #state = :sent, messageId = :id, sentAt = :now${seenOnTopic ? ', seenOnTopic = :t' : ''} REMOVE pendingPk, pendingSk`,
          ConditionExpression: '#state IN (:sending, :unconfirmed)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':sent': 'sent',
            ':sending': 'sending',
            ':unconfirmed': 'unconfirmed',
            ':id': messageId,
            ':now': now.toISOString(),
            ...(seenOnTopic ? { ':t': true } : {}),
          },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  async isSent(key: string): Promise<boolean> {
    const existing = await this.table.send(
      new GetCommand({
        TableName: this.table.name,
        Key: notificationKey(key),
        ConsistentRead: true,
      }),
    );
    return existing.Item?.state === 'sent';
  }

  /** With an owner, only that owner's claim: a late release must not drop another run's takeover. */
  async release(key: string, owner?: string) {
    await this.table
      .send(
        new DeleteCommand({
          TableName: this.table.name,
          Key: notificationKey(key),
          ConditionExpression:
            owner === undefined ? '#state = :sending' : '#state = :sending AND #owner = :owner',
          ExpressionAttributeNames: {
            '#state': 'state',
            ...(owner === undefined ? {} : { '#owner': 'owner' }),
          },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ...(owner === undefined ? {} : { ':owner': owner }),
          },
        }),
      )
      .catch((err) => {
        if (!isConditionalCheckFailed(err)) throw err;
      });
  }

  async markUnconfirmed(
    key: string,
    claimedAt: Date,
    message: OutboundMessage,
    attemptedAt: Date,
    attempts: number,
  ): Promise<boolean> {
    const at = attemptedAt.toISOString();
    return this.conditionalUpdate({
      Key: notificationKey(key),
      UpdateExpression:
        'SET #state = :unconfirmed, message = :message, attemptedAt = :at, attempts = :attempts, pendingPk = :ppk, pendingSk = :psk',
      // claimedAt names the run's own claim: a takeover's claim is at least a stale period later.
      ConditionExpression: '#state = :sending AND claimedAt = :claimedAt',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':unconfirmed': 'unconfirmed',
        ':sending': 'sending',
        ':claimedAt': claimedAt.toISOString(),
        ':message': message,
        ':at': at,
        ':attempts': attempts,
        ':ppk': unconfirmedPending(at, key).pendingPk,
        ':psk': unconfirmedPending(at, key).pendingSk,
      },
    });
  }

  async due(before: Date, limit: number): Promise<UnconfirmedPublication[]> {
    const items = await this.table.queryAll({
      IndexName: pendingIndex.name,
      KeyConditionExpression: 'pendingPk = :pk AND pendingSk < :before',
      ExpressionAttributeValues: {
        ':pk': pendingIndex.unconfirmedNotifications,
        ':before': before.toISOString(),
      },
      Limit: limit,
    });
    return items.slice(0, limit).map((item) => {
      const i = unconfirmedItem.parse(item);
      return {
        key: i.pk.slice('NOTIFY#'.length),
        message: i.message,
        attemptedAt: i.attemptedAt,
        attempts: i.attempts,
      };
    });
  }

  async claimRepublish(entry: UnconfirmedPublication, now: Date): Promise<boolean> {
    const at = now.toISOString();
    const pending = unconfirmedPending(at, entry.key);
    return this.conditionalUpdate({
      Key: notificationKey(entry.key),
      // Still listed as unconfirmed: its state is 'unconfirmed', or 'sending' from a republish
      // whose run ended before it could write the outcome (then as unknown as a lost answer).
      UpdateExpression:
        'SET #state = :sending, claimedAt = :at, attemptedAt = :at, attempts = :attempts, pendingSk = :psk',
      ConditionExpression:
        'pendingPk = :ppk AND attemptedAt = :seen AND attempts = :seenAttempts AND #state IN (:unconfirmed, :sending)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':sending': 'sending',
        ':unconfirmed': 'unconfirmed',
        ':at': at,
        ':attempts': entry.attempts + 1,
        ':psk': pending.pendingSk,
        ':ppk': pending.pendingPk,
        ':seen': entry.attemptedAt,
        ':seenAttempts': entry.attempts,
      },
    });
  }

  async abandon(entry: UnconfirmedPublication, now: Date): Promise<boolean> {
    return this.conditionalUpdate({
      Key: notificationKey(entry.key),
      UpdateExpression: 'SET #state = :abandoned, abandonedAt = :now REMOVE pendingPk, pendingSk',
      ConditionExpression:
        'pendingPk = :ppk AND attemptedAt = :seen AND attempts = :seenAttempts AND #state IN (:unconfirmed, :sending)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':abandoned': 'abandoned',
        ':now': now.toISOString(),
        ':ppk': pendingIndex.unconfirmedNotifications,
        ':seen': entry.attemptedAt,
        ':seenAttempts': entry.attempts,
        ':unconfirmed': 'unconfirmed',
        ':sending': 'sending',
      },
    });
  }

  /** An update whose condition failing is an answer (false), not an error. */
  private async conditionalUpdate(
    input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>,
  ): Promise<boolean> {
    try {
      await this.table.send(new UpdateCommand({ ...input, TableName: this.table.name }));
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }
}
