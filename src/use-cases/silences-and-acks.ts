// Silences and acknowledgements from the API (SPEC N4, A4), and the incident list. Every change is
// a conditional write; a lost race is retried from a fresh read, then reported as a conflict.
import {
  acknowledge,
  createSilence,
  expireSilence,
  silenceStatus,
  type AcknowledgementRequest,
  type Incident,
  type Silence,
  type SilenceRequest,
  type SilenceStatus,
} from '../alerting';
import { ConflictError, NotFoundError } from '../errors';
import type { AlertAdminPorts, IncidentPage, IncidentQuery } from '../ports';

const CONFLICT_RETRIES = 3;

export type SilenceView = Silence & { status: SilenceStatus };

function silenceView(s: Silence, now: Date): SilenceView {
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

/** A new silence with a fresh id; `createdBy` is the caller's to fill in when the client did not. */
export async function openSilence(
  ports: AlertAdminPorts,
  request: SilenceRequest,
  now: Date,
): Promise<SilenceView> {
  const silence = createSilence(request, ports.newId(), now);
  if (!(await ports.store.createSilence(silence))) {
    throw new ConflictError(`silence ${silence.id} exists already`);
  }
  return silenceView(silence, now);
}

/** Silences newest first, optionally only those in one status at `now`. */
export async function listSilences(
  ports: AlertAdminPorts,
  status: SilenceStatus | undefined,
  now: Date,
): Promise<SilenceView[]> {
  return (await ports.store.listSilences(now))
    .map((s) => silenceView(s, now))
    .filter((s) => status === undefined || s.status === status)
    .sort((a, b) => b.startsAt.localeCompare(a.startsAt));
}

/** Ends a silence now; ending an ended one changes nothing. */
export async function endSilence(
  ports: AlertAdminPorts,
  id: string,
  now: Date,
): Promise<SilenceView> {
  const ended = await retryOnConflict(`silence ${id}`, async () => {
    const silence = await ports.store.getSilence(id);
    if (silence === null) throw new NotFoundError(`silence ${id}`);
    const expired = expireSilence(silence, now);
    if (expired !== silence) await ports.store.replaceSilence(silence, expired);
    return expired;
  });
  return silenceView(ended, now);
}

/** Stops an incident's repeats; the first acknowledgement stands. */
export async function acknowledgeIncidentNow(
  ports: AlertAdminPorts,
  id: string,
  request: Required<Pick<AcknowledgementRequest, 'by'>> & AcknowledgementRequest,
  now: Date,
): Promise<Incident> {
  return retryOnConflict(`incident ${id}`, async () => {
    const incident = await ports.store.getIncident(id);
    if (incident === null) throw new NotFoundError(`incident ${id}`);
    const ack = { by: request.by, comment: request.comment ?? '', at: now.toISOString() };
    const next = acknowledge(incident, ack, now);
    if (next !== incident) await ports.store.saveIncident(next, incident.version);
    return next;
  });
}

export function listIncidents(ports: AlertAdminPorts, query: IncidentQuery): Promise<IncidentPage> {
  return ports.store.listIncidents(query);
}
