// Alerting routes (SPEC N4, A4): silences and acknowledgements, and the incident list. Every change
// is a conditional write; a lost race is retried from a fresh read, then answered 409.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  acknowledge,
  acknowledgementRequestSchema,
  createSilence,
  expireSilence,
  silenceRequestSchema,
  silenceStatus,
  type Incident,
  type Silence,
} from '../../../src/alerting';
import { ConflictError, NotFoundError } from '../../../src/errors';
import { isoTimestampSchema, parseWith, serviceIdSchema } from '../../../src/model';
import type { AlertingAdminStore } from '../../../src/ports';
import { json } from '../../middleware/http';
import { apiAdapters } from '../api-adapters';
import type { Route, RouteRequest } from '../route';

export interface AlertRouteDeps {
  store: AlertingAdminStore;
  newId: () => string;
}

const CONFLICT_RETRIES = 3;

const incidentQuerySchema = z
  .object({
    service: serviceIdSchema.optional(),
    status: z.enum(['open', 'resolved']).optional(),
    from: isoTimestampSchema.optional(),
    to: isoTimestampSchema.optional(),
    limit: z.coerce
      .number({ message: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(200, 'must be at most 200')
      .default(50),
    cursor: z.string().min(1).max(2000).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: 'must not be after to',
    path: ['from'],
  });

const silenceQuerySchema = z.object({
  status: z.enum(['pending', 'active', 'expired']).optional(),
});

function pathId(request: RouteRequest): string {
  const raw = request.params.id ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** A body field `by`/`createdBy` left out defaults to the API key's name. */
function withAuthor(body: unknown, field: string, request: RouteRequest): unknown {
  const given = body ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) return given;
  if (field in given || request.principal === null) return given;
  return { ...given, [field]: request.principal.name };
}

export function incidentView(i: Incident) {
  return {
    id: i.id,
    serviceId: i.serviceId,
    status: i.status,
    severity: i.severity,
    openedAt: i.openedAt,
    resolvedAt: i.resolvedAt,
    updatedAt: i.updatedAt,
    anomalyCount: i.anomalyCount,
    metrics: Object.values(i.metrics),
    recovery: i.notes,
    acknowledgement: i.acknowledgement,
    notificationsSent: i.delivery.sent,
  };
}

function silenceView(s: Silence, now: Date) {
  return { ...s, status: silenceStatus(s, now) };
}

async function retryOnConflict<T>(what: string, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      if (attempt >= CONFLICT_RETRIES) {
        throw new ConflictError(`${what} kept changing meanwhile; try again`);
      }
    }
  }
}

export function createAlertRoutes(deps: () => AlertRouteDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/silences',
      scope: 'operate',
      async handler(request) {
        const body = parseWith(
          silenceRequestSchema,
          withAuthor(request.body, 'createdBy', request),
          'request body',
        );
        const { store, newId } = deps();
        const silence = createSilence(body, newId(), request.now);
        if (!(await store.createSilence(silence))) {
          throw new ConflictError(`silence ${silence.id} exists already`);
        }
        return json(201, { silence: silenceView(silence, request.now) });
      },
    },
    {
      method: 'GET',
      path: '/silences',
      scope: 'read',
      async handler(request) {
        const query = parseWith(silenceQuerySchema, request.query, 'query');
        const silences = (await deps().store.listSilences(request.now))
          .map((s) => silenceView(s, request.now))
          .filter((s) => query.status === undefined || s.status === query.status)
          .sort((a, b) => b.startsAt.localeCompare(a.startsAt));
        return json(200, { silences }, { 'cache-control': 'no-store' });
      },
    },
    {
      method: 'DELETE',
      path: '/silences/{id}',
      scope: 'operate',
      async handler(request) {
        const id = pathId(request);
        const { store } = deps();
        const ended = await retryOnConflict(`silence ${id}`, async () => {
          const silence = await store.getSilence(id);
          if (silence === null) throw new NotFoundError(`silence ${id}`);
          const expired = expireSilence(silence, request.now);
          if (expired !== silence) await store.replaceSilence(silence, expired);
          return expired;
        });
        return json(200, { silence: silenceView(ended, request.now) });
      },
    },
    {
      method: 'POST',
      path: '/incidents/{id}/ack',
      scope: 'operate',
      async handler(request) {
        const id = pathId(request);
        const body = parseWith(
          acknowledgementRequestSchema,
          withAuthor(request.body, 'by', request),
          'request body',
        );
        const { store } = deps();
        const acked = await retryOnConflict(`incident ${id}`, async () => {
          const incident = await store.getIncident(id);
          if (incident === null) throw new NotFoundError(`incident ${id}`);
          const ack = { ...body, at: request.now.toISOString() };
          const next = acknowledge(incident, ack, request.now);
          if (next !== incident) await store.saveIncident(next, incident.version);
          return next;
        });
        return json(200, { incident: incidentView(acked) });
      },
    },
    {
      method: 'GET',
      path: '/incidents',
      scope: 'read',
      async handler(request) {
        const q = parseWith(incidentQuerySchema, request.query, 'query');
        const page = await deps().store.listIncidents({
          serviceId: q.service,
          status: q.status,
          from: q.from,
          to: q.to,
          limit: q.limit,
          cursor: q.cursor,
        });
        return json(
          200,
          { incidents: page.incidents.map(incidentView), nextCursor: page.nextCursor },
          { 'cache-control': 'no-store' },
        );
      },
    },
  ];
}

export const alertRoutes: Route[] = createAlertRoutes(() => ({
  store: apiAdapters().alerting,
  newId: randomUUID,
}));
