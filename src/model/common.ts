// Shared primitives of the domain model: ids, severities, modes, timestamps, storable numbers.
import { z } from 'zod';

export const serviceIdSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit',
  );

export const severitySchema = z.enum(['info', 'warning', 'critical']);
export type Severity = z.infer<typeof severitySchema>;

export const directionSchema = z.enum(['up', 'down', 'none']);
export type Direction = z.infer<typeof directionSchema>;

/** How much the autopilot may do on its own for a service (SPEC X6). */
export const autopilotModeSchema = z.enum(['auto', 'approve', 'dry-run', 'off']);
export type AutopilotMode = z.infer<typeof autopilotModeSchema>;

/** ISO-8601 UTC timestamp, e.g. 2026-11-22T10:00:00.000Z; sorts lexically in time order. */
export const isoTimestampSchema = z.iso.datetime({ offset: false });

export const severityRank: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/**
 * DynamoDB stores numbers of magnitude 1e-130 to 1e125 only, and the document client refuses
 * integers beyond 2^53 - 1 rather than lose digits: a value outside either range would be refused by
 * the table after validation had accepted it (a 503 inviting retries, or half a push stored). So
 * every number the API or the configuration lets in is 0 or within these bounds; tiny magnitudes are
 * refused, not rounded, so what is stored is what was sent.
 */
export const MIN_STORABLE_MAGNITUDE = 1e-130;
export const MAX_STORABLE_MAGNITUDE = Number.MAX_SAFE_INTEGER;

export function isStorableNumber(value: number): boolean {
  const magnitude = Math.abs(value);
  return (
    Number.isFinite(value) &&
    magnitude <= MAX_STORABLE_MAGNITUDE &&
    (magnitude === 0 || magnitude >= MIN_STORABLE_MAGNITUDE)
  );
}

/** A finite number DynamoDB can store as sent; chain further bounds onto it. */
export function storableNumber() {
  return z
    .number()
    .min(-MAX_STORABLE_MAGNITUDE, 'must be at least -9007199254740991 (-(2^53 - 1))')
    .max(MAX_STORABLE_MAGNITUDE, 'must be at most 9007199254740991 (2^53 - 1)')
    .refine(
      (v) => v === 0 || Math.abs(v) >= MIN_STORABLE_MAGNITUDE,
      'must be 0 or at least 1e-130 in magnitude',
    );
}
