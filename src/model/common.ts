// Shared primitives of the domain model: ids, severities, modes, timestamps.
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
