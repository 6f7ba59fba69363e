// History listings (SPEC A3): anomalies, decisions and the action audit trail, each filterable by
// service and time range, newest first, with an opaque cursor. One factory makes the three routes;
// src/use-cases/history-queries.ts does the querying. (/incidents is the alerting module's.)
import { z } from 'zod';
import { decisionStatusSchema, serviceIdSchema } from '../../../src/model';
import type { HistoryReader } from '../../../src/ports';
import {
  HISTORY_DEFAULT_DAYS,
  historyListing,
  type HistoryKind,
} from '../../../src/use-cases/history-queries';
import { json } from '../../middleware/http';
import { apiAdapters } from '../api-adapters';
import { defineRoute, type Route } from '../route';
import { pageQueryShape, rangeIsOrdered, rangeOrderIssue, resolveRange } from '../schemas';

/** Where this module's adapters come from: the one place a composition root replaces. */
function reader(): HistoryReader {
  return apiAdapters().history;
}

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

function historyRoute(
  kind: HistoryKind,
  summary: string,
  query: typeof listQuery | typeof decisionQuery,
): Route {
  return defineRoute({
    method: 'GET',
    path: `/${kind}`,
    scope: 'read',
    summary,
    request: { query },
    async handler(req) {
      // A next page reads the range its cursor carries, not one defaulted from a later "now".
      const range = resolveRange(req.query, req.now, HISTORY_DEFAULT_DAYS);
      return json(200, await historyListing(reader(), kind, { ...req.query, ...range }, req.now));
    },
  });
}

export const historyRoutes: Route[] = [
  historyRoute('anomalies', 'Anomalies, newest first: ?service&from&to&limit&cursor', listQuery),
  historyRoute(
    'decisions',
    'Decisions, newest first: ?service&status&from&to&limit&cursor',
    decisionQuery,
  ),
  historyRoute(
    'actions',
    'The audit trail of operator actions, newest first: ?service&from&to&limit&cursor',
    listQuery,
  ),
];
