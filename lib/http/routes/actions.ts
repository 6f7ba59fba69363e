// Manual actions (SPEC A4, X4): scale to N, restart, or a recovery check now; approve or reject a
// proposed decision. Parse with the request schemas, call the use case (src/use-cases/manual-action.ts,
// decision-review.ts), map the result to JSON.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { DecisionReviewPorts, IdempotencyClaim, ManualActionPorts } from '../../../src/ports';
import { reviewDecision } from '../../../src/use-cases/decision-review';
import { requestManualAction } from '../../../src/use-cases/manual-action';
import { NotFoundError } from '../../../src/errors';
import { json } from '../../middleware/http';
import { apiAdapters } from '../api-adapters';
import { defineRoute, operatorRequest, type Route, type RouteRequest } from '../route';
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

/** Where this module's adapters come from: the one place a composition root replaces. */
function ports(): { manual: ManualActionPorts; review: DecisionReviewPorts } {
  const a = apiAdapters();
  return {
    manual: {
      services: a.registry,
      observations: a.store,
      ecs: a.ecs,
      decisions: a.store,
      ledger: a.manual,
      audit: a.audit,
    },
    review: { decisions: a.history, services: a.registry, reviews: a.reviews, audit: a.audit },
  };
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
      409: 'another request with this Idempotency-Key is in progress: retry',
      422: 'Idempotency-Key already used for a different request',
    },
    async handler(req) {
      const result = await requestManualAction(ports().manual, {
        ...operatorRequest(req),
        serviceId: req.params.id,
        action: req.body,
        claim: idempotencyClaim(req),
      });
      if (result.kind === 'healthy') return json(200, { checks: result.checks, decision: null });
      const body = { decision: result.decision, repeated: !result.created };
      return json(
        result.created ? 202 : 200,
        result.checks ? { checks: result.checks, ...body } : body,
      );
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/decisions/{id}',
    scope: 'read',
    summary: 'One decision: diagnosis, reason, status, and the LLM diagnosis when one was asked',
    request: { params: decisionParams },
    responses: { 200: 'the decision', 404: 'no such decision' },
    async handler(req) {
      const decision = await ports().review.decisions.decision(req.params.id);
      if (!decision) throw new NotFoundError(`decision '${req.params.id}'`);
      return json(200, { decision });
    },
  }),
  ...(['approve', 'reject'] as const).map((verb) =>
    defineRoute({
      method: 'POST',
      path: `/decisions/{id}/${verb}`,
      scope: 'operate',
      summary: `${verb === 'approve' ? 'Approve' : 'Reject'} a proposed decision`,
      request: { params: decisionParams, body: reviewBody },
      responses: {
        200: `${verb}d`,
        404: 'no such decision',
        409: 'not proposed, or (approve) its service no longer exists',
      },
      async handler(req) {
        const decision = await reviewDecision(ports().review, {
          ...operatorRequest(req),
          decisionId: req.params.id,
          verb,
          reason: req.body?.reason,
        });
        return json(200, { decision });
      },
    }),
  ),
];
