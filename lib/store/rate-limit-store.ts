// The per-key rate limit (SPEC A6): one counter item per key per minute, raised by a conditional
// update that fails once the limit is reached, so concurrent requests never overshoot it.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '../aws/errors';
import { apiTtl, expiresAt, rateLimitKey } from './keys';
import type { Table } from './table';

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the current window ends. */
  retryAfterSeconds: number;
  remaining: number;
}

export class RateLimitStore {
  constructor(private readonly table: Table) {}

  async hit(keyId: string, limitPerMinute: number, now: Date): Promise<RateDecision> {
    const minute = new Date(now.getTime());
    minute.setUTCSeconds(0, 0);
    const retryAfterSeconds = Math.max(1, 60 - now.getUTCSeconds());
    try {
      const out = await this.table.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: rateLimitKey(keyId, minute.toISOString()),
          UpdateExpression: 'ADD #n :one SET kind = :kind, expiresAt = :exp',
          ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
          ExpressionAttributeNames: { '#n': 'count' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limitPerMinute,
            ':kind': 'ratelimit',
            ':exp': expiresAt(now, apiTtl.rateLimitDays),
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const count = Number(out.Attributes?.count ?? 1);
      return { allowed: true, retryAfterSeconds, remaining: Math.max(0, limitPerMinute - count) };
    } catch (err) {
      if (isConditionalCheckFailed(err)) return { allowed: false, retryAfterSeconds, remaining: 0 };
      throw err;
    }
  }
}
