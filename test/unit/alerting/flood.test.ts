import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/decision/seeded-random';
import {
  applyAnomaly,
  applyNormal,
  emptyAlertingState,
  flush,
  type Notification,
} from '../../../src/alerting';
import type { Severity } from '../../../src/model';
import type { AlertingConfig } from '../../../src/alerting';
import { anomaly, at, config, isoAt } from '../../support/builders';

const cfg = config();

/** The project's seeded generator (mulberry32), so the flood is the same on every run. */
const seeded = seededRandom;

const services = Array.from({ length: 10 }, (_, k) => `svc-${k}`);
const metrics = ['cpu', 'memory', 'latency_p95', 'requests', 'errors_5xx'];

function floodOf(count: number, seconds: number, random: () => number) {
  return Array.from({ length: count }, () => {
    const service = services[Math.floor(random() * services.length)]!;
    const metric = metrics[Math.floor(random() * metrics.length)]!;
    const r = random();
    const severity: Severity = r < 0.15 ? 'critical' : r < 0.85 ? 'warning' : 'info';
    return anomaly(service, metric, Math.floor(random() * seconds), severity);
  }).sort((a, b) => a.at.localeCompare(b.at));
}

/** The stream delivers in 10 s batches, each followed by a flush; normal readings after 5 min. */
function simulate(c: AlertingConfig) {
  const flood = floodOf(1000, 300, seeded(6));
  let state = emptyAlertingState();
  const sent: Notification[] = [];
  for (let t = 0; t <= 3600; t += 10) {
    const now = at(t);
    const batch = flood.filter(
      (x) => Date.parse(x.at) < now.getTime() && Date.parse(x.at) >= now.getTime() - 10_000,
    );
    for (const a of batch) state = applyAnomaly(state, a, now, c);
    if (t > 300 && t % 60 === 0) {
      for (const serviceId of services) {
        state = applyNormal(state, { serviceId, metric: null, at: isoAt(t) }, now, c);
      }
    }
    const r = flush(state, now, c);
    state = r.state;
    sent.push(...r.messages);
  }
  const byKind: Record<string, number> = {};
  for (const m of sent) byKind[`${m.kind}/${m.phase}`] = (byKind[`${m.kind}/${m.phase}`] ?? 0) + 1;
  return {
    anomalies: flood.length,
    state,
    sent,
    perIncident: sent.length / state.incidents.length,
    byKind,
  };
}

describe('no storms', () => {
  it('1,000 anomalies across 10 services in 5 minutes send a few messages per incident', () => {
    // Prepare
    const withoutInhibition = config({ inhibitWarningsWhenCritical: false });
    // Act
    const flood = simulate(cfg);
    const uninhibited = simulate(withoutInhibition);
    // Assess
    console.log(
      `flood: ${flood.anomalies} anomalies, ${flood.state.incidents.length} incidents, ` +
        `${flood.sent.length} messages, ${flood.perIncident.toFixed(2)} messages per incident ` +
        `${JSON.stringify(flood.byKind)}; without inhibition ${uninhibited.sent.length} messages`,
    );
    expect(flood.state.incidents).toHaveLength(10);
    expect(flood.state.incidents.every((i) => i.status === 'resolved')).toBe(true);
    expect(flood.sent.filter((m) => m.kind === 'resolved')).toHaveLength(10);
    expect(flood.perIncident).toBeGreaterThanOrEqual(1);
    expect(flood.perIncident).toBeLessThanOrEqual(3);
  });
});
