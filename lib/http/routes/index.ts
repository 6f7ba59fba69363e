// Every route of the api function, in one list: the router, the auth check and the OpenAPI
// document all read it.
import { json } from '../../middleware/http';
import { openApiDocument } from '../openapi';
import type { Route } from '../route';
import { actionRoutes } from './actions';
import { alertRoutes } from './alerts';
import { baselineRoutes } from './baseline';
import { forecastRoutes } from './forecast';
import { healthRoutes } from './health';
import { historyRoutes } from './history';
import { metricRoutes } from './metrics';
import { metricsExpositionRoutes } from './metrics-exposition';
import { reportRoutes } from './report';
import { serviceRoutes } from './services';
import { statusRoutes } from './status';

const documented: Route[] = [
  ...healthRoutes,
  ...statusRoutes,
  ...serviceRoutes,
  ...metricRoutes,
  ...metricsExpositionRoutes,
  ...baselineRoutes,
  ...forecastRoutes,
  ...historyRoutes,
  ...actionRoutes,
  ...reportRoutes,
  ...alertRoutes,
];

const openApiRoute: Route = {
  method: 'GET',
  path: '/openapi.json',
  scope: 'public',
  summary: 'This document',
  async handler() {
    return json(200, openApiDocument(apiRoutes), { 'cache-control': 'public, max-age=300' });
  },
};

export const apiRoutes: Route[] = [...documented, openApiRoute];
