// Silences (SPEC N4): label matchers with a time window; a matching message is not sent.
import { z } from 'zod';
import { isoTimestampSchema } from '../model/common';
import type { MessageLabels } from './notification';

export const matcherLabelSchema = z.enum(['service', 'severity', 'kind']);
export type MatcherLabel = z.infer<typeof matcherLabelSchema>;

/** Alertmanager's operators: equal, not equal, regex, negated regex. Regexes are anchored. */
export const matcherSchema = z
  .strictObject({
    label: matcherLabelSchema,
    op: z.enum(['=', '!=', '=~', '!~']).default('='),
    value: z.string().max(200),
  })
  .refine((m) => !m.op.includes('~') || isValidRegex(m.value), {
    message: 'is not a valid regular expression',
    path: ['value'],
  });
export type Matcher = z.infer<typeof matcherSchema>;

export const silenceSchema = z
  .strictObject({
    id: z.string().min(1),
    matchers: z.array(matcherSchema).min(1).max(10),
    startsAt: isoTimestampSchema,
    endsAt: isoTimestampSchema,
    createdBy: z.string().min(1).max(100),
    comment: z.string().max(500).default(''),
  })
  .refine((s) => Date.parse(s.endsAt) > Date.parse(s.startsAt), {
    message: 'must be after startsAt',
    path: ['endsAt'],
  });
export type Silence = z.infer<typeof silenceSchema>;

/** The body of `POST /silences`: startsAt defaults to now, the end is a time or a duration. */
export const silenceRequestSchema = z
  .strictObject({
    matchers: z.array(matcherSchema).min(1).max(10),
    startsAt: isoTimestampSchema.optional(),
    endsAt: isoTimestampSchema.optional(),
    durationMinutes: z
      .number()
      .int()
      .min(1)
      .max(30 * 24 * 60)
      .optional(),
    createdBy: z.string().min(1).max(100),
    comment: z.string().max(500).default(''),
  })
  .refine((r) => (r.endsAt === undefined) !== (r.durationMinutes === undefined), {
    message: 'give exactly one of endsAt or durationMinutes',
    path: ['endsAt'],
  });
export type SilenceRequest = z.input<typeof silenceRequestSchema>;

export type SilenceStatus = 'pending' | 'active' | 'expired';

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** Builds a silence from a validated request; the id is the caller's (a uuid in the adapter). */
export function createSilence(request: SilenceRequest, id: string, now: Date): Silence {
  const parsed = silenceRequestSchema.parse(request);
  const startsAt = parsed.startsAt ?? now.toISOString();
  const endsAt =
    parsed.endsAt ??
    new Date(Date.parse(startsAt) + (parsed.durationMinutes ?? 0) * 60000).toISOString();
  return silenceSchema.parse({
    id,
    matchers: parsed.matchers,
    startsAt,
    endsAt,
    createdBy: parsed.createdBy,
    comment: parsed.comment,
  });
}

export function silenceStatus(silence: Silence, now: Date): SilenceStatus {
  const t = now.getTime();
  if (t < Date.parse(silence.startsAt)) return 'pending';
  return t < Date.parse(silence.endsAt) ? 'active' : 'expired';
}

/** Ends a silence now (`DELETE /silences/{id}`), keeping it for the record. */
export function expireSilence(silence: Silence, now: Date): Silence {
  if (silenceStatus(silence, now) === 'expired') return silence;
  const end = now.getTime();
  // A pending silence deleted before it starts still needs a non-empty window to stay valid.
  const start = Math.min(Date.parse(silence.startsAt), end - 1);
  return { ...silence, startsAt: new Date(start).toISOString(), endsAt: now.toISOString() };
}

export function matcherMatches(matcher: Matcher, labels: MessageLabels): boolean {
  const actual = labels[matcher.label];
  switch (matcher.op) {
    case '=':
      return actual === matcher.value;
    case '!=':
      return actual !== matcher.value;
    case '=~':
      return new RegExp(`^(?:${matcher.value})$`).test(actual);
    case '!~':
      return !new RegExp(`^(?:${matcher.value})$`).test(actual);
  }
}

export function silenceMatches(silence: Silence, labels: MessageLabels, now: Date): boolean {
  return (
    silenceStatus(silence, now) === 'active' &&
    silence.matchers.every((m) => matcherMatches(m, labels))
  );
}

export function silencedBy(
  silences: readonly Silence[],
  labels: MessageLabels,
  now: Date,
): Silence | null {
  return silences.find((s) => silenceMatches(s, labels, now)) ?? null;
}
