// A series' learned baseline in the open: GET /services/{id}/metrics/{metric}/baseline (read scope).
import { z } from 'zod';
import { serviceIdSchema } from '../../../src/model';
import { metricBaseline } from '../../../src/use-cases/metric-baseline';
import { json } from '../../middleware/http';
import { apiAdapters } from '../api-adapters';
import { defineRoute, type Route } from '../route';

const baselineParams = z.strictObject({
  id: serviceIdSchema,
  metric: z.string().min(1).max(200),
});

export const baselineRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/services/{id}/metrics/{metric}/baseline',
    scope: 'read',
    summary:
      "What the detector learned for one of a service's metrics: level, robust scale, expected value and band, seasonal profile and the latest score",
    request: { params: baselineParams },
    responses: { 200: 'the baseline', 404: 'unknown service, or no model for that metric yet' },
    async handler(req) {
      const a = apiAdapters();
      return json(200, await metricBaseline(a, req.params.id, req.params.metric));
    },
  }),
];
