// Alerting routes (SPEC N4, A4): silences and acknowledgements, and the incident list. Parse with
// the request schemas, call the use case (src/use-cases/silences-and-acks.ts), map to JSON.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  acknowledgementRequestSchema,
  silenceRequestSchema,
  type Incident,
} from '../../../src/alerting';
import { isoTimestampSchema, serviceIdSchema } from '../../../src/model';
import type { AlertAdminPorts } from '../../../src/ports';
import {
  acknowledgeIncidentNow,
  endSilence,
  listIncidents,
  listSilences,
  openSilence,
} from '../../../src/use-cases/silences-and-acks';
import { json } from '../../middleware/http';
import { apiAdapters } from '../api-adapters';
import { defineRoute, type Principal, type Route } from '../route';

const authorField = z.string().min(1).max(100);

/**
 * silenceRequestSchema with `createdBy` optional (it defaults to the API key's name). zod cannot
 * loosen a key of a refined object, so its one rule is restated here.
 */
const silenceBody = z
  .strictObject({ ...silenceRequestSchema.shape, createdBy: authorField.optional() })
  .refine((r) => (r.endsAt === undefined) !== (r.durationMinutes === undefined), {
    message: 'give exactly one of endsAt or durationMinutes',
    path: ['endsAt'],
  });

/** `by` left out defaults to the API key's name; no body at all acknowledges with no comment. */
const ackBody = acknowledgementRequestSchema.extend({ by: authorField.optional() }).optional();

const idParams = z.strictObject({ id: z.string().min(1) });

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

function author(given: string | undefined, principal: Principal | null): string {
  return given ?? principal?.name ?? 'anonymous';
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

export function createAlertRoutes(ports: () => AlertAdminPorts): Route[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/silences',
      scope: 'operate',
      summary: 'Mute notifications matching label matchers for a while',
      request: { body: silenceBody },
      responses: { 201: 'created' },
      async handler(req) {
        const createdBy = author(req.body.createdBy, req.principal);
        const silence = await openSilence(ports(), { ...req.body, createdBy }, req.now);
        return json(201, { silence });
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/silences',
      scope: 'read',
      summary: 'Silences, newest first: ?status=pending|active|expired',
      request: { query: silenceQuerySchema },
      async handler(req) {
        const silences = await listSilences(ports(), req.query.status, req.now);
        return json(200, { silences }, { 'cache-control': 'no-store' });
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/silences/{id}',
      scope: 'operate',
      summary: 'End a silence now',
      request: { params: idParams },
      responses: { 200: 'ended', 404: 'no such silence', 409: 'changed meanwhile' },
      async handler(req) {
        const silence = await endSilence(ports(), req.params.id, req.now);
        return json(200, { silence });
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/incidents/{id}/ack',
      scope: 'operate',
      summary: "Acknowledge an incident: its repeats stop; updates and 'resolved' still go out",
      request: { params: idParams, body: ackBody },
      responses: { 200: 'acknowledged', 404: 'no such incident', 409: 'changed meanwhile' },
      async handler(req) {
        const by = author(req.body?.by, req.principal);
        const incident = await acknowledgeIncidentNow(
          ports(),
          req.params.id,
          { by, comment: req.body?.comment ?? '' },
          req.now,
        );
        return json(200, { incident: incidentView(incident) });
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/incidents',
      scope: 'read',
      summary: 'Incidents, newest first: ?service&status&from&to&limit&cursor',
      request: { query: incidentQuerySchema },
      async handler(req) {
        const q = req.query;
        const page = await listIncidents(ports(), {
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
    }),
  ];
}

/** Where this module's adapters come from: the one line a composition root replaces. */
function alertAdminPorts(): AlertAdminPorts {
  return { store: apiAdapters().alerting, newId: randomUUID };
}

export const alertRoutes: Route[] = createAlertRoutes(alertAdminPorts);
