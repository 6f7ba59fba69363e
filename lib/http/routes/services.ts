// Services CRUD (SPEC C1, A3) with the config file's own schema. Services declared in
// config/services.json may be overridden through the API (the override wins; deleting it reverts to
// the file) but not deleted: the file is their source of truth.
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/errors';
import { autopilotModeSchema, serviceSchema, type Service } from '../../../src/model';
import { declaredServices } from '../../config';
import { json } from '../../middleware/http';
import { apiAdapters } from '../api-adapters';
import { defineRoute, type Principal, type Route } from '../route';
import { serviceParamsSchema } from '../schemas';

type Source = 'config' | 'api' | 'config-override';

function declared(id: string): Service | undefined {
  return declaredServices().find((s) => s.id === id);
}

async function current(id: string) {
  const stored = await apiAdapters().services.get(id);
  const fromFile = declared(id);
  if (!stored && !fromFile) throw new NotFoundError(`service '${id}'`);
  const source: Source = stored ? (fromFile ? 'config-override' : 'api') : 'config';
  return {
    service: stored?.service ?? fromFile!,
    version: stored?.version ?? 0,
    stored,
    source,
  };
}

function view(service: Service, source: Source, version: number) {
  return { ...service, source, version };
}

const ifMatchSchema = z
  .string()
  .regex(/^"?\d+"?$/, 'must be the service version, e.g. "3"')
  .transform((v) => Number(v.replaceAll('"', '')));

/** The version the caller last saw (If-Match), else the one just read: either way the write is conditional. */
function expectedVersion(headers: Record<string, string | undefined>, read: number): number {
  const given = headers['if-match'];
  if (given === undefined) return read;
  const r = ifMatchSchema.safeParse(given);
  if (!r.success) {
    throw new ValidationError('request is invalid: headers.if-match', [
      { path: 'headers.if-match', message: r.error.issues[0]!.message },
    ]);
  }
  if (r.data !== read)
    throw new ConflictError(`service changed: it is at version ${read}, not ${r.data}`);
  return r.data;
}

function by(p: Principal | null) {
  return `api:${p?.name ?? 'anonymous'}`;
}

async function audit(
  type: string,
  serviceId: string,
  req: { now: Date; requestId: string; principal: Principal | null },
  detail: string,
) {
  await apiAdapters().audit.record({
    id: req.requestId,
    serviceId,
    at: req.now.toISOString(),
    type,
    requestedBy: by(req.principal),
    detail,
    decisionId: null,
  });
}

export const serviceRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/services',
    scope: 'read',
    summary:
      'Every watched service: declared in the config file, registered or overridden by the API',
    async handler() {
      const a = apiAdapters();
      const services = await a.registry.list();
      const items = await Promise.all(
        services.map(async (s) => {
          const c = await current(s.id);
          return view(c.service, c.source, c.version);
        }),
      );
      return json(200, { items });
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
      const s = req.body;
      if (declared(s.id)) {
        throw new ConflictError(
          `service '${s.id}' is declared in config/services.json: change it with PUT /services/${s.id}`,
        );
      }
      const version = await apiAdapters().services.put(s, null, req.now);
      await audit('service-create', s.id, req, `registered ${s.id}`);
      return json(201, view(s, 'api', version), {
        location: `/services/${encodeURIComponent(s.id)}`,
        etag: `"${version}"`,
      });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/services/{id}',
    scope: 'read',
    summary: 'One service, with its source and version',
    request: { params: serviceParamsSchema },
    async handler(req) {
      const c = await current(req.params.id);
      return json(200, view(c.service, c.source, c.version), { etag: `"${c.version}"` });
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
      if (req.body.id !== req.params.id) {
        throw new ValidationError('request is invalid: body.id', [
          { path: 'body.id', message: `must equal the id in the path ('${req.params.id}')` },
        ]);
      }
      const c = await current(req.params.id);
      const expected = expectedVersion(req.headers, c.version);
      const version = await apiAdapters().services.put(
        req.body,
        c.stored ? expected : null,
        req.now,
      );
      await audit('service-update', req.params.id, req, `replaced ${req.params.id}`);
      const source: Source = declared(req.params.id) ? 'config-override' : 'api';
      return json(200, view(req.body, source, version), { etag: `"${version}"` });
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
      const c = await current(req.params.id);
      if (!c.stored) {
        throw new ConflictError(
          `service '${req.params.id}' is declared in config/services.json: remove it there`,
        );
      }
      await apiAdapters().services.delete(req.params.id, expectedVersion(req.headers, c.version));
      await audit(
        'service-delete',
        req.params.id,
        req,
        `removed ${c.source === 'config-override' ? 'the override of ' : ''}${req.params.id}`,
      );
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
      const c = await current(req.params.id);
      const next = { ...c.service, mode: req.body.mode };
      const version = await apiAdapters().services.put(next, c.stored ? c.version : null, req.now);
      await audit('mode', req.params.id, req, `mode ${c.service.mode} → ${req.body.mode}`);
      const source: Source = declared(req.params.id) ? 'config-override' : 'api';
      return json(200, view(next, source, version), { etag: `"${version}"` });
    },
  }),
];
