// A counted usage from `npm run bench:collect -- --json` (the usage object itself, or a report that
// carries it under `usage`), checked field by field; the cost model's optional fields it lacks are
// taken from the derivation, and named, so a reader knows which figures were counted.
import { z } from 'zod';
import { usageFields, type ServiceTickUsage } from './usage';

const count = z.number().finite().nonnegative();
const usageSchema = z.object({
  services: z.number().int().positive(),
  tickMinutes: z.number().positive(),
  ...Object.fromEntries(usageFields.map((f) => [f, count])),
  tracedInvocations: count.optional(),
  logBytes: count.optional(),
  storedBytes: count.optional(),
  alarmMetrics: count.optional(),
});

const optionalFields = ['tracedInvocations', 'logBytes', 'storedBytes', 'alarmMetrics'] as const;

export interface CountedUsage {
  usage: ServiceTickUsage;
  /** Fields the counted file did not have, filled from the derived usage. */
  derivedFields: string[];
}

export function countedUsage(json: unknown, derived: ServiceTickUsage): CountedUsage {
  const candidate =
    typeof json === 'object' && json !== null && 'usage' in json
      ? (json as { usage: unknown }).usage
      : json;
  const parsed = usageSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new Error(`not a bench:collect usage: ${z.prettifyError(parsed.error)}`);
  }
  const usage = parsed.data as ServiceTickUsage;
  const derivedFields = optionalFields.filter((f) => usage[f] === undefined);
  for (const f of derivedFields) usage[f] = derived[f];
  return { usage, derivedFields };
}
