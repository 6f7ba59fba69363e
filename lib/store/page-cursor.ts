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

/** The 400 for a cursor this listing did not give out (or not as it is now). */
export function foreignCursor(): ValidationError {
  return new ValidationError('query is invalid: cursor: not a cursor from this listing', [
    { path: 'cursor', message: 'not a cursor from this listing' },
  ]);
}

/**
 * The key a cursor resumes after. Refused (a 400 naming `cursor`) unless it is a cursor of this
 * listing (its fingerprint) holding a key as the listing gives out: exactly the key names of the
 * table (and index) it reads, in the partition it reads. A fingerprint can be copied from a real
 * cursor; without these checks an altered key reached DynamoDB and came back a 503.
 */
export function decodeCursor(cursor: string, q: PagedQuery): Record<string, string> {
  const c = parseCursor(cursor);
  if (!c || c.f !== queryFingerprint(q)) throw foreignCursor();
  const names = keyNames(q.index);
  const given = Object.keys(c.k);
  if (given.length !== names.length || !names.every((n) => c.k[n] !== undefined && c.k[n] !== '')) {
    throw foreignCursor();
  }
  const partition = partitionOf(q);
  if (partition && c.k[partition.name] !== partition.value) throw foreignCursor();
  // Every key name is present (above), the range's sort key among them.
  const range = rangeOf(q);
  const sk = range ? c.k[range.name]! : '';
  if (range && (sk < range.from || sk > range.to)) throw foreignCursor();
  return c.k;
}

/** The sort-key range a query reads: `<name> BETWEEN <:from> AND <:to>` in its key condition. */
function rangeOf(q: PagedQuery): { name: string; from: string; to: string } | null {
  const m = /\b(\w+)\s+BETWEEN\s+(:\w+)\s+AND\s+(:\w+)/.exec(q.keyCondition);
  const from = m && q.values[m[2]!];
  const to = m && q.values[m[3]!];
  if (!m || typeof from !== 'string' || typeof to !== 'string') return null;
  return { name: m[1]!, from, to };
}

/** The partition a query reads: `<name> = <:value>` first in its key condition. */
function partitionOf(q: PagedQuery): { name: string; value: unknown } | null {
  const m = /^\s*(#?\w+)\s*=\s*(:\w+)/.exec(q.keyCondition);
  if (!m) return null;
  const name = m[1]!.startsWith('#') ? q.names?.[m[1]!] : m[1];
  return name === undefined ? null : { name, value: q.values[m[2]!] };
}

function keyNames(index?: 'gsi1'): string[] {
  return index ? ['pk', 'sk', 'gsi1pk', 'gsi1sk'] : ['pk', 'sk'];
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
  return Object.fromEntries(keyNames(index).map((n) => [n, String(item[n])]));
}
