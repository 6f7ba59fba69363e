// Cursor pagination over DynamoDB queries: the cursor is opaque to clients (base64url JSON of the
// last returned item's key plus a fingerprint of the query), so it cannot be replayed on another one.
import { createHash } from 'node:crypto';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ValidationError } from '../../src/errors';
import { awsError } from '../aws/errors';

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PagedQuery {
  index?: 'gsi1';
  keyCondition: string;
  values: Record<string, unknown>;
  names?: Record<string, string>;
  filter?: string;
  /** Newest first unless told otherwise. */
  forward?: boolean;
}

const cursorSchema = z.strictObject({
  k: z.record(z.string(), z.string()),
  f: z.string(),
});

function fingerprint(q: PagedQuery): string {
  return createHash('sha256')
    .update(JSON.stringify([q.index ?? '', q.keyCondition, q.values, q.filter ?? '', q.forward]))
    .digest('base64url')
    .slice(0, 16);
}

export function encodeCursor(key: Record<string, string>, f: string): string {
  return Buffer.from(JSON.stringify({ k: key, f })).toString('base64url');
}

export function decodeCursor(cursor: string, f: string): Record<string, string> {
  const bad = () =>
    new ValidationError('query is invalid: cursor: not a cursor from this listing', [
      { path: 'cursor', message: 'not a cursor from this listing' },
    ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  const c = cursorSchema.safeParse(parsed);
  if (!c.success || c.data.f !== f) throw bad();
  return c.data.k;
}

function keyOf(item: Record<string, unknown>, index?: 'gsi1'): Record<string, string> {
  const names = index ? ['pk', 'sk', 'gsi1pk', 'gsi1sk'] : ['pk', 'sk'];
  return Object.fromEntries(names.map((n) => [n, String(item[n])]));
}

export async function queryPage(
  db: DynamoDBDocumentClient,
  table: string,
  endpoint: string | undefined,
  q: PagedQuery,
  page: PageRequest,
): Promise<Page<Record<string, unknown>>> {
  const f = fingerprint(q);
  let startKey: Record<string, unknown> | undefined = page.cursor
    ? decodeCursor(page.cursor, f)
    : undefined;
  const items: Record<string, unknown>[] = [];
  let more = true;
  let dropped = false;
  while (items.length < page.limit && more) {
    const out = await db
      .send(
        new QueryCommand({
          TableName: table,
          IndexName: q.index,
          KeyConditionExpression: q.keyCondition,
          FilterExpression: q.filter,
          ExpressionAttributeNames: q.names,
          ExpressionAttributeValues: q.values,
          ScanIndexForward: q.forward ?? false,
          ExclusiveStartKey: startKey,
          Limit: q.filter ? Math.max(page.limit * 4, 50) : page.limit - items.length,
        }),
      )
      .catch((err) => {
        throw awsError(err, `DynamoDB table '${table}'`, endpoint);
      });
    for (const item of (out.Items ?? []) as Record<string, unknown>[]) {
      if (items.length < page.limit) items.push(item);
      else dropped = true;
    }
    startKey = out.LastEvaluatedKey;
    more = startKey !== undefined;
  }
  // The next page starts after the last item returned (not DynamoDB's own key, which may lie past
  // items a filter let through but the limit cut off).
  const last = items[items.length - 1];
  const full = items.length === page.limit;
  return {
    items,
    nextCursor: last && full && (more || dropped) ? encodeCursor(keyOf(last, q.index), f) : null,
  };
}
