// GET /report (SPEC A5): the consolidated report with recovery statistics over a time range (the
// decisions in it, and the incidents resolved since it began for time to recover);
// GET /reports/daily: the daily reports housekeeping kept (SPEC O4), newest first.
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

const dailyReportsQuery = z.strictObject({
  limit: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100')
    .default(30),
});

export const reportRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/report',
    scope: 'read',
    summary:
      'Recovery statistics: total; success rate overall, per service and per action kind; time to act (anomaly → ECS call) and time to recover (incident start → healthy again), medians and means; decision accuracy per action kind and of target scaling; most common error, most problematic component',
    request: { query: reportQuery },
    async handler(req) {
      const a = apiAdapters();
      const range = resolveRange(req.query, req.now, 30);
      const [decisions, services] = await Promise.all([
        a.history.allDecisions(range, MAX_DECISIONS),
        a.registry.list(),
      ]);
      // Time to recover ends when an incident resolved: the ones resolved since the range began.
      const incidents = (
        await Promise.all(services.map((s) => a.statusHistory.pastIncidents(s.id, range.from)))
      ).flat();
      const report = recoveryReport(
        decisions as unknown as DecisionRecord[],
        range.from,
        range.to,
        incidents,
      );
      return json(200, {
        ...report,
        services: services.length,
        modes: Object.fromEntries(services.map((s) => [s.id, s.mode])),
        truncated: decisions.length >= MAX_DECISIONS,
      });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/reports/daily',
    scope: 'read',
    summary:
      'The daily reports (incidents, actions, accuracy, time to recover, top problems, estimated cost), newest first',
    request: { query: dailyReportsQuery },
    async handler(req) {
      const reports = await apiAdapters().dailyReports.latest(req.query.limit);
      return json(200, { items: reports });
    },
  }),
];
