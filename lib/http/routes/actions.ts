// Manual actions (SPEC A4, X4): scale to N, restart, or a recovery check now; approve or reject a
// proposed decision. Each becomes a decision item the scale consumer executes, plus an audit entry.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../../src/errors';
import type { Decision } from '../../../src/model';
import {
  manualDecision,
  recoveryPlan,
  scaleActionFor,
  scaleOutOfBounds,
} from '../../../src/use-cases/manual-action';
import { json } from '../../middleware/http';
import { apiAdapters } from '../api-adapters';
import type { IdempotencyClaim } from '../../store/manual-action-store';
import { HttpError } from '../http-error';
import { defineRoute, type Principal, type Route, type RouteRequest } from '../route';
import { serviceParamsSchema } from '../schemas';

export const manualActionSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('scale'),
    desiredCount: z.number().int('must be a whole number').min(0).max(1000),
  }),
  z.strictObject({ type: z.literal('restart') }),
  z.strictObject({ type: z.literal('recover') }),
]);

const decisionParams = z.strictObject({
  id: z
    .string()
    .min(3)
    .max(300)
    .regex(
      /^[a-z0-9][a-z0-9-]{0,62}~[^\s]+$/,
      'must be a decision id such as web~2026-01-31T12:00:00.000Z~cpu~decision',
    ),
});
const reviewBody = z.strictObject({ reason: z.string().max(500).optional() }).optional();

const OPEN_ANOMALY_WINDOW_MS = 15 * 60_000;

function requestedBy(p: Principal | null) {
  return `api:${p?.name ?? 'anonymous'}`;
}

/** Makes a retried manual action safe: the same key and request act once (docs/api.md). */
const idempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be 1–100 letters, digits or _ . : -')
    .optional()
    .meta({ description: 'Retries with the same key and request act once (kept one day)' }),
});

/** The client's Idempotency-Key, scoped to its API key and bound to what it asked for, or null. */
function idempotencyClaim(
  req: Pick<RouteRequest, 'method' | 'path' | 'headers' | 'body' | 'principal'>,
): IdempotencyClaim | null {
  const key = req.headers['idempotency-key'];
  if (key === undefined || !req.principal) return null;
  const fingerprint = createHash('sha256')
    .update(`${req.method} ${req.path} ${JSON.stringify(req.body)}`)
    .digest('hex');
  return { apiKeyId: req.principal.keyId, key, fingerprint };
}

/** The decision and its audit entry in one transaction; a repeated key answers with the first. */
async function record(
  decision: Decision,
  type: string,
  req: RouteRequest,
  detail: string,
  claim: IdempotencyClaim | null,
) {
  const a = apiAdapters();
  const audit = {
    id: req.requestId,
    serviceId: decision.serviceId,
    at: req.now.toISOString(),
    type,
    requestedBy: requestedBy(req.principal),
    detail,
    decisionId: decision.id,
  };
  const out = await a.manual.record(decision, audit, claim, req.now);
  if (out.kind === 'key-reused') {
    throw new HttpError(
      422,
      'idempotency_key_reused',
      `Idempotency-Key '${claim!.key}' was already used for a different request`,
    );
  }
  const id = out.kind === 'repeated' ? out.decisionId : decision.id;
  const stored = (await a.store.getDecision(decision.serviceId, id)) ?? decision;
  return json(out.kind === 'created' ? 202 : 200, {
    decision: stored,
    repeated: out.kind !== 'created',
  });
}

export const actionRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/services/{id}/actions',
    scope: 'operate',
    summary: 'Scale to N, restart, or run every check now and remediate (recover)',
    request: {
      params: serviceParamsSchema,
      body: manualActionSchema,
      headers: idempotencyHeaders,
    },
    responses: {
      202: 'decision recorded for execution',
      200: 'nothing to do, or a repeated request (same Idempotency-Key)',
      422: 'Idempotency-Key already used for a different request',
    },
    async handler(req) {
      const a = apiAdapters();
      const service = await a.registry.get(req.params.id);
      if (!service) throw new NotFoundError(`service '${req.params.id}'`);
      const latest = await a.store.latestSample(service.id);
      const currentCount = latest?.ecs?.desiredCount ?? null;
      const base = {
        service,
        requestedBy: requestedBy(req.principal),
        requestKey: req.requestId,
        now: req.now,
        currentCount,
      };
      const claim = idempotencyClaim(req);
      const body = req.body;
      if (body.type === 'scale') {
        const bad = scaleOutOfBounds(service, body.desiredCount);
        if (bad) {
          throw new ValidationError(`request is invalid: body.desiredCount: ${bad}`, [
            { path: 'body.desiredCount', message: bad },
          ]);
        }
        const d = manualDecision({
          ...base,
          action: scaleActionFor(currentCount, body.desiredCount),
          toCount: body.desiredCount,
          reason: `manual scale to ${body.desiredCount} tasks`,
        });
        return record(
          d,
          'scale',
          req,
          `scale ${currentCount ?? '?'} → ${body.desiredCount}`,
          claim,
        );
      }
      if (body.type === 'restart') {
        const d = manualDecision({
          ...base,
          action: 'restart',
          toCount: null,
          reason: 'manual restart',
        });
        return record(d, 'restart', req, 'restart (new deployment)', claim);
      }
      const anomalies = await a.store.anomaliesSince(
        service.id,
        new Date(req.now.getTime() - OPEN_ANOMALY_WINDOW_MS),
      );
      const plan = recoveryPlan(service, latest, anomalies, req.now);
      if (!plan.remedy) {
        await a.audit.record({
          id: req.requestId,
          serviceId: service.id,
          at: req.now.toISOString(),
          type: 'recover',
          requestedBy: requestedBy(req.principal),
          detail: 'recovery check: every check passed',
          decisionId: null,
        });
        return json(200, { checks: plan.checks, decision: null });
      }
      const d = manualDecision({
        ...base,
        action: plan.remedy.action,
        toCount: plan.remedy.toCount,
        reason: `recovery check: ${plan.remedy.reason}`,
      });
      const res = await record(d, 'recover', req, plan.remedy.reason, claim);
      return { ...res, body: JSON.stringify({ checks: plan.checks, ...JSON.parse(res.body) }) };
    },
  }),
  ...(['approve', 'reject'] as const).map((verb) =>
    defineRoute({
      method: 'POST',
      path: `/decisions/{id}/${verb}`,
      scope: 'operate',
      summary: `${verb === 'approve' ? 'Approve' : 'Reject'} a proposed decision`,
      request: { params: decisionParams, body: reviewBody },
      responses: { 200: `${verb}d`, 404: 'no such decision', 409: 'not proposed' },
      async handler(req) {
        const a = apiAdapters();
        const existing = await a.history.decision(req.params.id);
        if (!existing) throw new NotFoundError(`decision '${req.params.id}'`);
        const by = requestedBy(req.principal);
        const decision = await a.reviews.review(
          req.params.id,
          verb === 'approve' ? 'approved' : 'rejected',
          by,
          req.now,
          req.body?.reason ?? '',
        );
        await a.audit.record({
          id: req.requestId,
          serviceId: String(existing.serviceId),
          at: req.now.toISOString(),
          type: verb,
          requestedBy: by,
          detail: `${verb}d ${existing.action}${req.body?.reason ? `: ${req.body.reason}` : ''}`,
          decisionId: req.params.id,
        });
        return json(200, { decision });
      },
    }),
  ),
];
