// The opaque cursor of a paged listing: base64url JSON of the last returned item's key plus a
// fingerprint of the query, so a cursor cannot be replayed on another listing.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from '../../src/errors';

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

export function queryFingerprint(q: PagedQuery): string {
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

/** The key a page resumes after: the table's key, plus the index's when the query used one. */
export function itemKey(item: Record<string, unknown>, index?: 'gsi1'): Record<string, string> {
  const names = index ? ['pk', 'sk', 'gsi1pk', 'gsi1sk'] : ['pk', 'sk'];
  return Object.fromEntries(names.map((n) => [n, String(item[n])]));
}
