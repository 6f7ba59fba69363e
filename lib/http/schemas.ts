// Request schemas shared by the API's routes: path ids, time ranges and pagination.
import { z } from 'zod';
import { serviceIdSchema } from '../../src/model';
import { rangeOfCursor } from '../store/page-cursor';

export const serviceParamsSchema = z.strictObject({ id: serviceIdSchema });

const instant = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 time such as 2026-01-31T12:00:00Z' })
  .transform((s) => new Date(s));

export const pageQueryShape = {
  limit: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(200, 'must be at most 200')
    .default(50),
  cursor: z.string().min(1).max(2000).optional(),
  from: instant.optional(),
  to: instant.optional(),
};

/**
 * Fills the default range (the last `days` days up to now). A next page keeps the range its first
 * page resolved, carried in the cursor: "now" has moved on since, and the pages must not shift.
 */
export function resolveRange(
  q: { from?: Date | undefined; to?: Date | undefined; cursor?: string | undefined },
  now: Date,
  days: number,
) {
  const earlier = rangeOfCursor(q.cursor);
  const to = q.to ?? earlier?.to ?? now;
  const from = q.from ?? earlier?.from ?? new Date(to.getTime() - days * 86_400_000);
  return { from, to };
}

export function rangeIsOrdered(q: { from?: Date | undefined; to?: Date | undefined }) {
  return !q.from || !q.to || q.from.getTime() <= q.to.getTime();
}

export const rangeOrderIssue = { message: 'must not be after to', path: ['from'] };
