// Services CRUD (SPEC C1, A3) with the config file's own schema. Parse with the request schemas,
// call the service catalogue (src/use-cases/service-catalogue.ts), map the result to JSON with the
// version as ETag; GET of one service adds its health score and forecasts (service-outlook.ts).
import { z } from 'zod';
import { autopilotModeSchema, serviceSchema } from '../../../src/model';
import type { ServiceCataloguePorts } from '../../../src/ports';
import {
  getService,
  listServices,
  registerService,
  removeService,
  replaceService,
  setServiceMode,
  type ServiceView,
} from '../../../src/use-cases/service-catalogue';
import { serviceOutlook, type ServiceOutlookPorts } from '../../../src/use-cases/service-outlook';
import { config, declaredServices } from '../../config';
import { json } from '../../middleware/http';
import { apiAdapters } from '../api-adapters';
import { defineRoute, operatorRequest, type Route } from '../route';
import { serviceParamsSchema } from '../schemas';

/** Where this module's adapters come from: the one place a composition root replaces. */
function ports(): ServiceCataloguePorts {
  const a = apiAdapters();
  return {
    registry: a.registry,
    declared: declaredServices(),
    extraClusters: config().extraClusters,
    overrides: a.services,
    audit: a.audit,
  };
}

/** What the service's health and forecasts are read from. */
function outlookPorts(): ServiceOutlookPorts {
  const a = apiAdapters();
  return {
    lastCollectorRun: () => a.store.lastCollectorRun(),
    latestSample: (id) => a.store.latestSample(id),
    anomaliesSince: (id, since) => a.store.anomaliesSince(id, since),
    openIncidentCount: async (id) =>
      (await a.alerting.openIncidents(id)).filter((i) => i.status === 'open').length,
    loadModels: (id) => a.models.loadModels(id),
  };
}

function withEtag(status: number, view: ServiceView, headers: Record<string, string> = {}) {
  return json(status, view, { ...headers, etag: `"${view.version}"` });
}

export const serviceRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/services',
    scope: 'read',
    summary:
      'Every watched service: declared in the config file, registered or overridden by the API',
    async handler() {
      return json(200, { items: await listServices(ports()) });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/services',
    scope: 'admin',
    summary: 'Register a service (same schema as config/services.json)',
    request: { body: serviceSchema },
    responses: { 201: 'created', 409: 'a service with this id exists' },
    async handler(req) {
      const view = await registerService(ports(), req.body, operatorRequest(req));
      return withEtag(201, view, { location: `/services/${encodeURIComponent(view.id)}` });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/services/{id}',
    scope: 'read',
    summary:
      'One service, with its source and version, its health score (0–100 and its state) and the forecast of each series (next value, trend per hour, time to breach)',
    request: { params: serviceParamsSchema },
    async handler(req) {
      const view = await getService(ports(), req.params.id);
      const outlook = await serviceOutlook(outlookPorts(), view, req.now);
      return json(200, { ...view, ...outlook }, { etag: `"${view.version}"` });
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/services/{id}',
    scope: 'admin',
    summary: 'Replace a service; for a declared one this stores an override',
    request: { params: serviceParamsSchema, body: serviceSchema },
    responses: { 200: 'replaced', 404: 'no such service', 409: 'changed meanwhile (If-Match)' },
    async handler(req) {
      const view = await replaceService(
        ports(),
        { id: req.params.id, service: req.body, ifMatch: req.headers['if-match'] },
        operatorRequest(req),
      );
      return withEtag(200, view);
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/services/{id}',
    scope: 'admin',
    summary: 'Remove a registered service, or an override (reverting to the config file)',
    request: { params: serviceParamsSchema },
    responses: { 204: 'removed', 404: 'no such service', 409: 'declared in the config file' },
    async handler(req) {
      await removeService(ports(), req.params.id, req.headers['if-match'], operatorRequest(req));
      return { statusCode: 204, headers: {}, body: '' };
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/services/{id}/mode',
    scope: 'operate',
    summary: "Set a service's autopilot mode: auto, approve, dry-run or off",
    request: { params: serviceParamsSchema, body: z.strictObject({ mode: autopilotModeSchema }) },
    async handler(req) {
      return withEtag(
        200,
        await setServiceMode(ports(), req.params.id, req.body.mode, operatorRequest(req)),
      );
    },
  }),
];
