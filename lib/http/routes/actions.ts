// Manual actions (SPEC A4, X4): scale to N, restart, or a recovery check now; approve or reject a
// proposed decision. Each becomes a decision item the scale consumer executes, plus an audit entry.
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
import { defineRoute, type Principal, type Route } from '../route';
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

async function record(
  decision: Decision,
  type: string,
  req: { now: Date; requestId: string; principal: Principal | null },
  detail: string,
) {
  const a = apiAdapters();
  const created = await a.store.putDecision(decision, req.now);
  if (created) {
    await a.audit.record({
      id: req.requestId,
      serviceId: decision.serviceId,
      at: req.now.toISOString(),
      type,
      requestedBy: requestedBy(req.principal),
      detail,
      decisionId: decision.id,
    });
  }
  const stored = (await a.store.getDecision(decision.serviceId, decision.id)) ?? decision;
  return json(created ? 202 : 200, { decision: stored, repeated: !created });
}

export const actionRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/services/{id}/actions',
    scope: 'operate',
    summary: 'Scale to N, restart, or run every check now and remediate (recover)',
    request: { params: serviceParamsSchema, body: manualActionSchema },
    responses: {
      202: 'decision recorded for execution',
      200: 'nothing to do, or a repeated request',
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
        return record(d, 'scale', req, `scale ${currentCount ?? '?'} → ${body.desiredCount}`);
      }
      if (body.type === 'restart') {
        const d = manualDecision({
          ...base,
          action: 'restart',
          toCount: null,
          reason: 'manual restart',
        });
        return record(d, 'restart', req, 'restart (new deployment)');
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
      const res = await record(d, 'recover', req, plan.remedy.reason);
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
