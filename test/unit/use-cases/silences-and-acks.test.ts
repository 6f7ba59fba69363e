// Silences and acknowledgements over an in-memory alerting store: a silence's life (active, listed,
// ended once), the first acknowledgement standing, and a lost race retried then reported.
import { describe, expect, it } from 'vitest';
import type { Incident, Silence } from '../../../src/alerting';
import { ConflictError, NotFoundError } from '../../../src/errors';
import type { AlertAdminPorts, AlertingAdminStore } from '../../../src/ports';
import {
  acknowledgeIncidentNow,
  endSilence,
  listSilences,
  openSilence,
} from '../../../src/use-cases/silences-and-acks';

const t0 = new Date('2026-11-22T10:00:00.000Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

const incident: Incident = {
  id: 'inc~web~2026-11-22T09:55:00.000Z',
  serviceId: 'web',
  status: 'open',
  openedAt: '2026-11-22T09:55:00.000Z',
  createdAt: '2026-11-22T09:55:00.000Z',
  updatedAt: '2026-11-22T09:55:00.000Z',
  resolvedAt: null,
  severity: 'critical',
  metrics: {},
  anomalyCount: 1,
  recentAnomalyIds: [],
  notes: [],
  acknowledgement: null,
  delivery: {
    firstSentAt: null,
    lastSentAt: null,
    sentAlert: null,
    sentNotes: null,
    sent: 0,
    closed: false,
  },
  version: 3,
};

function memory(o: { conflicts?: number } = {}) {
  const silences = new Map<string, Silence>();
  let current = incident;
  let conflicts = o.conflicts ?? 0;
  const store: AlertingAdminStore = {
    getIncident: async (id) => (id === current.id ? current : null),
    async saveIncident(next, expected) {
      if (conflicts-- > 0 || expected !== current.version) throw new ConflictError('raced');
      current = next;
    },
    listIncidents: async () => ({ incidents: [current], nextCursor: null }),
    listSilences: async () => [...silences.values()],
    getSilence: async (id) => silences.get(id) ?? null,
    async createSilence(s) {
      if (silences.has(s.id)) return false;
      silences.set(s.id, s);
      return true;
    },
    async replaceSilence(expected, next) {
      if (silences.get(expected.id) !== expected) throw new ConflictError('raced');
      silences.set(next.id, next);
    },
  };
  let ids = 0;
  const ports: AlertAdminPorts = { store, newId: () => `sil-${++ids}` };
  return { ports, incident: () => current };
}

describe('silences', () => {
  it('opens a silence for a duration, lists it by status, and ends it once', async () => {
    const { ports } = memory();
    const s = await openSilence(
      ports,
      { matchers: [{ label: 'service', value: 'web' }], durationMinutes: 60, createdBy: 'ops' },
      t0,
    );
    expect(s).toMatchObject({ id: 'sil-1', status: 'active', endsAt: at(60).toISOString() });
    expect((await listSilences(ports, 'active', at(1))).map((x) => x.id)).toEqual(['sil-1']);
    expect(await listSilences(ports, 'expired', at(1))).toEqual([]);

    const ended = await endSilence(ports, 'sil-1', at(10));
    expect(ended).toMatchObject({ status: 'expired', endsAt: at(10).toISOString() });
    const again = await endSilence(ports, 'sil-1', at(20));
    expect(again.endsAt).toBe(at(10).toISOString());
    await expect(endSilence(ports, 'sil-nope', at(20))).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('acknowledgements', () => {
  it('keeps the first acknowledgement', async () => {
    const { ports } = memory();
    const first = await acknowledgeIncidentNow(
      ports,
      incident.id,
      { by: 'ana', comment: 'on it' },
      t0,
    );
    expect(first.acknowledgement).toEqual({ by: 'ana', comment: 'on it', at: t0.toISOString() });
    const second = await acknowledgeIncidentNow(ports, incident.id, { by: 'bo' }, at(1));
    expect(second.acknowledgement?.by).toBe('ana');
  });

  it('retries a lost race from a fresh read, then reports a conflict', async () => {
    const once = memory({ conflicts: 1 });
    await acknowledgeIncidentNow(once.ports, incident.id, { by: 'ana' }, t0);
    expect(once.incident().acknowledgement?.by).toBe('ana');

    const always = memory({ conflicts: 10 });
    await expect(
      acknowledgeIncidentNow(always.ports, incident.id, { by: 'ana' }, t0),
    ).rejects.toThrow('kept changing meanwhile');
  });

  it('answers NotFoundError for an unknown incident', async () => {
    const { ports } = memory();
    await expect(
      acknowledgeIncidentNow(ports, 'inc~web~2020-01-01T00:00:00.000Z', { by: 'ana' }, t0),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
