// GET /report (SPEC A5): the consolidated report with recovery statistics over a time range.
import { z } from 'zod';
import { recoveryReport, type DecisionRecord } from '../../../src/use-cases/recovery-report';
import { json } from '../../middleware/http';
import { apiAdapters } from '../api-adapters';
import { defineRoute, type Route } from '../route';
import { pageQueryShape, rangeIsOrdered, rangeOrderIssue, resolveRange } from '../schemas';

const reportQuery = z
  .strictObject({ from: pageQueryShape.from, to: pageQueryShape.to })
  .refine(rangeIsOrdered, rangeOrderIssue);

const MAX_DECISIONS = 5000;

export const reportRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/report',
    scope: 'read',
    summary:
      'Recovery statistics: total, success rate, mean time to recover, most common error, most problematic component',
    request: { query: reportQuery },
    async handler(req) {
      const a = apiAdapters();
      const range = resolveRange(req.query, req.now, 30);
      const [decisions, services] = await Promise.all([
        a.history.allDecisions(range, MAX_DECISIONS),
        a.registry.list(),
      ]);
      const report = recoveryReport(decisions as unknown as DecisionRecord[], range.from, range.to);
      return json(200, {
        ...report,
        services: services.length,
        modes: Object.fromEntries(services.map((s) => [s.id, s.mode])),
        truncated: decisions.length >= MAX_DECISIONS,
      });
    },
  }),
];
