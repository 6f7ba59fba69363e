// The load forecast in the open: GET /services/{id}/forecast (read scope).
import { z } from 'zod';
import { serviceIdSchema } from '../../../src/model';
import { serviceForecast } from '../../../src/use-cases/service-forecast';
import { json } from '../../middleware/http';
import { apiAdapters } from '../api-adapters';
import { defineRoute, type Route } from '../route';

const hoursSchema = (fallback: number) => z.coerce.number().int().min(1).max(24).default(fallback);

const forecastQuery = z.strictObject({
  /** Hours of forecast after now, and of what happened before now. */
  hours: hoursSchema(3),
  pastHours: hoursSchema(3),
});

export const forecastRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/services/{id}/forecast',
    scope: 'read',
    summary:
      "The load forecast pre-scaling sizes for: the next hours of the service's requests per second with the band's upper edge, beside the requests of the past hours",
    request: { params: z.strictObject({ id: serviceIdSchema }), query: forecastQuery },
    responses: { 200: 'the forecast', 404: 'unknown service, or no requests model yet' },
    async handler(req) {
      const a = apiAdapters();
      const hours = { ahead: req.query.hours, past: req.query.pastHours };
      return json(200, await serviceForecast(a, req.params.id, hours, req.now));
    },
  }),
];
