// A team's own remediation (SPEC X7): named runbooks in a service's configuration — an SSM Automation
// document, a Lambda function, or an HTTPS endpoint receiving a signed JSON payload — that a policy
// allows as the action `runbook:<name>`. Parameters are templates filled from the decision, so the
// runbook learns which service, incident and metric it is called for.
import { z } from 'zod';

/** A runbook's name: what follows `runbook:` in a policy's actions. */
export const runbookNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a lowercase name like purge-redis');

/** `runbook:purge-redis`: the action a policy allows, a decision takes and learning keys on. */
export const runbookActionSchema = z.templateLiteral(['runbook:', runbookNameSchema]);
export type RunbookAction = z.infer<typeof runbookActionSchema>;

const RUNBOOK_PREFIX = 'runbook:';

/** The runbook a `runbook:<name>` action names, or null for a built-in action. */
export function runbookNameOf(action: string): string | null {
  return action.startsWith(RUNBOOK_PREFIX) ? action.slice(RUNBOOK_PREFIX.length) : null;
}

/**
 * Template values: strings may hold `{{field}}` placeholders (see RunbookContext); nested objects
 * and arrays are filled the same way. A string that is exactly one placeholder keeps the field's
 * type (a number stays a number).
 */
const templateValueSchema: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.string().max(4096),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(templateValueSchema),
    z.record(z.string(), templateValueSchema),
  ]),
);

/**
 * Longest wait for a Lambda or HTTPS runbook's answer. The scale function times out at 30 s, so a
 * runbook that takes longer must answer at once and work on in the background.
 */
const timeoutMsSchema = z.number().int().min(100).max(25_000).default(10_000);

export const runbookSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('ssm-automation'),
    /** The Automation document's name (or ARN). */
    document: z.string().min(1).max(200),
    documentVersion: z.string().min(1).max(20).optional(),
    /** Each parameter is a list of strings in SSM; single values are wrapped. */
    parameters: z.record(z.string().min(1), z.union([z.string(), z.array(z.string())])).default({}),
  }),
  z.strictObject({
    kind: z.literal('lambda'),
    /** Name or ARN of the function, invoked synchronously (RequestResponse). */
    functionName: z.string().min(1).max(200),
    /** Merged under `parameters` in the event, beside the decision's fields. */
    payload: z.record(z.string(), templateValueSchema).default({}),
    timeoutMs: timeoutMsSchema,
  }),
  z.strictObject({
    kind: z.literal('https'),
    /** https; plain http only to this machine (a local test server): the payload is signed, not hidden. */
    url: z
      .url({ protocol: /^https?$/, error: 'must be an https URL' })
      .refine(
        (u) => u.startsWith('https:') || /^http:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(u),
        'must be an https URL (http only to localhost)',
      ),
    /** SSM parameter (SecureString) holding the HMAC key; the key never sits in the configuration. */
    secretParameter: z.string().min(1).max(2048),
    payload: z.record(z.string(), templateValueSchema).default({}),
    timeoutMs: timeoutMsSchema,
  }),
]);
export type Runbook = z.infer<typeof runbookSchema>;
export type RunbookInput = z.input<typeof runbookSchema>;

export const runbooksSchema = z
  .record(runbookNameSchema, runbookSchema)
  .refine((r) => Object.keys(r).length <= 20, 'at most 20 runbooks per service')
  .default({});
export type Runbooks = z.infer<typeof runbooksSchema>;

/**
 * Every `runbook:<name>` a policy allows must be declared in `runbooks`: a typo fails the service's
 * validation on the field, not a decision at 3 a.m.
 */
export function checkRunbookReferences(
  service: { runbooks: Runbooks; policies: ReadonlyArray<{ actions: readonly string[] }> },
  ctx: z.RefinementCtx,
): void {
  service.policies.forEach((policy, p) => {
    policy.actions.forEach((action, a) => {
      const name = runbookNameOf(action);
      if (name !== null && !Object.hasOwn(service.runbooks, name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['policies', p, 'actions', a],
          message: `names runbook '${name}', which this service's runbooks do not declare`,
        });
      }
    });
  });
}

/** What a runbook's templates may use, taken from the decision it runs for. */
export interface RunbookContext {
  serviceId: string;
  decisionId: string;
  /** The incident the anomaly opened or joined. */
  incidentId: string;
  anomalyId: string;
  action: string;
  metric: string | null;
  value: number | null;
  diagnosis: string | null;
  reason: string;
  requestedBy: string;
  cluster: string;
  ecsService: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;
const WHOLE_PLACEHOLDER = /^\{\{\s*([A-Za-z]+)\s*\}\}$/;

/** Fills `{{field}}` placeholders; an unknown field is an error naming it, never silently blank. */
export function fillTemplate(value: unknown, context: RunbookContext): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(value);
    if (whole) return contextValue(context, whole[1]!);
    return value.replace(PLACEHOLDER, (_m, field: string) => {
      const v = contextValue(context, field);
      return v === null ? '' : String(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => fillTemplate(v, context));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillTemplate(v, context)]));
  }
  return value;
}

function contextValue(context: RunbookContext, field: string): string | number | null {
  if (!Object.hasOwn(context, field)) {
    throw new Error(
      `runbook template names '{{${field}}}', not one of ${Object.keys(context).join(', ')}`,
    );
  }
  return context[field as keyof RunbookContext];
}

/** SSM Automation parameters are lists of strings: each template filled, numbers as text. */
export function automationParameters(
  parameters: Record<string, string | string[]>,
  context: RunbookContext,
): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(parameters).map(([k, v]) => [
      k,
      (Array.isArray(v) ? v : [v]).map((s) => {
        const filled = fillTemplate(s, context);
        return filled === null ? '' : String(filled);
      }),
    ]),
  );
}

/**
 * The JSON a Lambda or HTTPS runbook receives: the decision's fields, its filled parameters, and an
 * idempotency key (the decision id) so a receiver that sees it twice acts once.
 */
export function runbookPayload(
  runbook: string,
  payload: Record<string, unknown>,
  context: RunbookContext,
): Record<string, unknown> {
  return {
    runbook,
    idempotencyKey: context.decisionId,
    ...context,
    parameters: fillTemplate(payload, context),
  };
}
