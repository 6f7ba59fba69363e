// Pushed metrics in (POST /metrics, SPEC C5) and a service's metric history out (SPEC A3).
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../../src/errors';
import {
  metricsPushSchema,
  pushedMetricNameSchema,
  pushedPoints,
  scalingReadingOf,
} from '../../../src/use-cases/pushed-metrics';
import { json } from '../../middleware/http';
import { apiAdapters } from '../api-adapters';
import { defineRoute, type Route } from '../route';
import {
  pageQueryShape,
  rangeIsOrdered,
  rangeOrderIssue,
  resolveRange,
  serviceParamsSchema,
} from '../schemas';

const metricHistoryQuery = z
  .strictObject({ ...pageQueryShape, metric: pushedMetricNameSchema.optional() })
  .refine(rangeIsOrdered, rangeOrderIssue);

function invalidBody(error: { path: string; message: string }): ValidationError {
  return new ValidationError(`request is invalid: body.${error.path}`, [
    { path: `body.${error.path}`, message: error.message },
  ]);
}

export const metricRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/metrics',
    scope: 'operate',
    summary:
      'Push metric values for a service; the next collect tick merges them, and cpu, memory or requests size it at once',
    request: { body: metricsPushSchema },
    responses: {
      202: 'stored for the next tick',
      400: 'a field is invalid, or serviceId names no service',
    },
    async handler(req) {
      const a = apiAdapters();
      const planned = pushedPoints(req.body, req.now);
      if ('error' in planned) throw invalidBody(planned.error);
      const scaling = scalingReadingOf(req.body, req.now);
      if ('error' in scaling) throw invalidBody(scaling.error);
      // The id is a field of the body, not of the path: a 400 naming it, as for any other bad field.
      if (!(await a.registry.get(req.body.serviceId))) {
        throw invalidBody({
          path: 'serviceId',
          message: `no service '${req.body.serviceId}' is registered`,
        });
      }
      // One transaction: the reading's stream record sizes the service at once (target scaling).
      await a.pushed.putPush(planned.points, scaling.reading);
      return json(202, {
        serviceId: req.body.serviceId,
        minute: planned.points[0]!.minute,
        accepted: planned.points.map((p) => p.metric),
        scalingReading: scaling.reading?.at ?? null,
      });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/services/{id}/metrics',
    scope: 'read',
    summary: "A service's metric history (newest first): ?metric&from&to&limit&cursor",
    request: { params: serviceParamsSchema, query: metricHistoryQuery },
    async handler(req) {
      const a = apiAdapters();
      if (!(await a.registry.get(req.params.id)))
        throw new NotFoundError(`service '${req.params.id}'`);
      const range = resolveRange(req.query, req.now, 1);
      const page = await a.history.samples(req.params.id, range, req.query);
      const metric = req.query.metric;
      const items = page.items.map((s) => {
        const metrics = (s.metrics ?? {}) as Record<string, number | null>;
        return metric
          ? { at: s.at, value: metrics[metric] ?? null }
          : { at: s.at, metrics, ecs: s.ecs ?? null };
      });
      return json(200, {
        serviceId: req.params.id,
        metric: metric ?? null,
        from: range.from.toISOString(),
        to: range.to.toISOString(),
        items,
        nextCursor: page.nextCursor,
      });
    },
  }),
];
