// History listings (SPEC A3): anomalies, decisions and the action audit trail, each filterable by
// service and time range, newest first, with an opaque cursor. (/incidents is the alerting module's.)
import { z } from 'zod';
import { decisionStatusSchema, serviceIdSchema } from '../../../src/model';
import { json } from '../../middleware/http';
import { apiAdapters } from '../api-adapters';
import { defineRoute, type Route } from '../route';
import { pageQueryShape, rangeIsOrdered, rangeOrderIssue, resolveRange } from '../schemas';

const listQuery = z
  .strictObject({ ...pageQueryShape, service: serviceIdSchema.optional() })
  .refine(rangeIsOrdered, rangeOrderIssue);

const decisionQuery = z
  .strictObject({
    ...pageQueryShape,
    service: serviceIdSchema.optional(),
    status: decisionStatusSchema.optional(),
  })
  .refine(rangeIsOrdered, rangeOrderIssue);

const DEFAULT_DAYS = 7;

function listing(items: unknown[], range: { from: Date; to: Date }, nextCursor: string | null) {
  return { from: range.from.toISOString(), to: range.to.toISOString(), items, nextCursor };
}

export const historyRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/anomalies',
    scope: 'read',
    summary: 'Anomalies, newest first: ?service&from&to&limit&cursor',
    request: { query: listQuery },
    async handler(req) {
      const range = resolveRange(req.query, req.now, DEFAULT_DAYS);
      const p = await apiAdapters().history.anomalies(
        { ...range, serviceId: req.query.service },
        req.query,
      );
      return json(200, listing(p.items, range, p.nextCursor));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/decisions',
    scope: 'read',
    summary: 'Decisions, newest first: ?service&status&from&to&limit&cursor',
    request: { query: decisionQuery },
    async handler(req) {
      const range = resolveRange(req.query, req.now, DEFAULT_DAYS);
      const p = await apiAdapters().history.decisions(
        { ...range, serviceId: req.query.service, status: req.query.status },
        req.query,
      );
      return json(200, listing(p.items, range, p.nextCursor));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/actions',
    scope: 'read',
    summary: 'The audit trail of operator actions, newest first: ?service&from&to&limit&cursor',
    request: { query: listQuery },
    async handler(req) {
      const range = resolveRange(req.query, req.now, DEFAULT_DAYS);
      const p = await apiAdapters().history.actions(
        { ...range, serviceId: req.query.service },
        req.query,
      );
      return json(200, listing(p.items, range, p.nextCursor));
    },
  }),
];
