// A content fingerprint for items that carry no version of their own (notices, silences): written
// beside the item, it is what a conditional write compares against.
import { createHash } from 'node:crypto';

// Keys sorted: DynamoDB does not keep a map's key order, and the digest must survive a round trip.
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, canonical(v)]),
  );
}

/** A content fingerprint: the optimistic lock of items that carry no version of their own. */
export function digest(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('base64url')
    .slice(0, 22);
}
