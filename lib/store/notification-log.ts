// The notification log: exactly-once publishing on an at-least-once stream. A claim is a conditional
// put; a claim left 'sending' by a crashed run may be taken over once it is stale. The alerts topic's
// own subscriber marks a claim sent when the message reaches it (the echo of a Publish whose answer
// was lost, lib/sns/topic-echo.ts).
import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NotificationClaim, NotificationLog } from '../../src/ports';
import { isConditionalCheckFailed } from '../aws/errors';
import { expiresAt, notificationKey, ttl } from './keys';
import type { Table } from './table';

export class DynamoNotificationLog implements NotificationLog {
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
      if (existing.Item?.state === 'sent') return 'already-sent';
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

  /** A claim still 'sending' becomes 'sent' (a conditional write); false when it was not sending. */
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
          UpdateExpression: `SET #state = :sent, messageId = :id, sentAt = :now${seenOnTopic ? ', seenOnTopic = :t' : ''}`,
          ConditionExpression: '#state = :sending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':sent': 'sent',
            ':sending': 'sending',
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
}
