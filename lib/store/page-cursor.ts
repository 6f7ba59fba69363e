// The opaque cursor of a paged listing: base64url JSON of the last returned item's key plus a
// fingerprint of the query, so a cursor cannot be replayed on another listing. A time-ranged
// listing also carries its resolved range: a defaulted range ends at "now", which moves between
// requests, and the next page must read the same range as the first (else the fingerprint differs).
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

export interface CursorRange {
  from: Date;
  to: Date;
}

const cursorSchema = z.strictObject({
  k: z.record(z.string(), z.string()),
  f: z.string(),
  r: z.strictObject({ from: z.iso.datetime(), to: z.iso.datetime() }).optional(),
});

function parseCursor(cursor: string) {
  try {
    const c = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return c.success ? c.data : null;
  } catch {
    return null;
  }
}

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
  const c = parseCursor(cursor);
  if (!c || c.f !== f) throw bad();
  return c.k;
}

/** The cursor with the range its listing read; null stays null (the last page). */
export function cursorWithRange(cursor: string | null, range: CursorRange): string | null {
  const c = cursor === null ? null : parseCursor(cursor);
  if (!c) return cursor;
  const r = { from: range.from.toISOString(), to: range.to.toISOString() };
  return Buffer.from(JSON.stringify({ ...c, r })).toString('base64url');
}

/**
 * The range a cursor's listing read, or null (no range, or not a cursor: decodeCursor then refuses
 * it, naming `cursor`).
 */
export function rangeOfCursor(cursor: string | undefined): CursorRange | null {
  const r = cursor === undefined ? undefined : parseCursor(cursor)?.r;
  return r ? { from: new Date(r.from), to: new Date(r.to) } : null;
}

/** The key a page resumes after: the table's key, plus the index's when the query used one. */
export function itemKey(item: Record<string, unknown>, index?: 'gsi1'): Record<string, string> {
  const names = index ? ['pk', 'sk', 'gsi1pk', 'gsi1sk'] : ['pk', 'sk'];
  return Object.fromEntries(names.map((n) => [n, String(item[n])]));
}
