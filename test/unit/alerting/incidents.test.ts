import { describe, expect, it } from 'vitest';
import {
  applyAnomaly,
  applyNormal,
  emptyAlertingState,
  flush,
  incidentKey,
  normalReadings,
  openIncidentOf,
} from '../../../src/alerting';
import { anomaly, at, config, isoAt } from '../../support/builders';

const cfg = config();

describe('incidents', () => {
  it('groups overlapping anomalies of one service into one incident that escalates', () => {
    // Prepare
    let state = emptyAlertingState();
    // Act
    state = applyAnomaly(state, anomaly('api', 'cpu', 0, 'warning'), at(0), cfg);
    state = applyAnomaly(state, anomaly('api', 'latency_p95', 20, 'critical'), at(20), cfg);
    state = applyAnomaly(state, anomaly('api', 'cpu', 60, 'warning'), at(60), cfg);
    // Assess
    expect(state.incidents).toHaveLength(1);
    const incident = state.incidents[0]!;
    expect(incident.id).toBe(incidentKey('api', isoAt(0)));
    expect(incident.severity).toBe('critical');
    expect(Object.keys(incident.metrics).sort()).toEqual(['cpu', 'latency_p95']);
    expect(incident.anomalyCount).toBe(3);
  });

  it('keeps services apart', () => {
    let state = emptyAlertingState();
    state = applyAnomaly(state, anomaly('api', 'cpu', 0), at(0), cfg);
    state = applyAnomaly(state, anomaly('web', 'cpu', 0), at(0), cfg);
    expect(state.incidents.map((i) => i.serviceId).sort()).toEqual(['api', 'web']);
  });

  it('a redelivered anomaly changes nothing', () => {
    // Prepare
    let state = emptyAlertingState();
    state = applyAnomaly(state, anomaly('api', 'cpu', 0), at(0), cfg);
    state = applyAnomaly(state, anomaly('api', 'memory', 30, 'critical'), at(30), cfg);
    const before = structuredClone(state);
    // Act
    const again = applyAnomaly(state, anomaly('api', 'cpu', 0), at(40), cfg);
    const twice = applyAnomaly(again, anomaly('api', 'memory', 30, 'critical'), at(45), cfg);
    // Assess
    expect(twice).toEqual(before);
  });

  it('info anomalies alone never open an incident', () => {
    const state = applyAnomaly(emptyAlertingState(), anomaly('api', 'cpu', 0, 'info'), at(0), cfg);
    expect(state.incidents).toHaveLength(0);
  });

  it('resolves once every metric has been back in its band for resolveAfter', () => {
    // Prepare
    let state = emptyAlertingState();
    state = applyAnomaly(state, anomaly('api', 'cpu', 0), at(0), cfg);
    state = applyAnomaly(state, anomaly('api', 'memory', 60), at(60), cfg);
    // Act: cpu recovers at 2 min, memory at 3 min; resolveAfter is 5 min, and the readings must
    // show it through 8 min
    state = applyNormal(state, { serviceId: 'api', metric: 'cpu', at: isoAt(120) }, at(120), cfg);
    state = applyNormal(state, { serviceId: 'api', metric: null, at: isoAt(180) }, at(180), cfg);
    state = applyNormal(state, { serviceId: 'api', metric: null, at: isoAt(420) }, at(420), cfg);
    const early = flush(state, at(180 + 299), cfg).state;
    const read = applyNormal(
      state,
      { serviceId: 'api', metric: null, at: isoAt(480) },
      at(480),
      cfg,
    );
    const late = flush(read, at(180 + 300), cfg).state;
    // Assess
    expect(openIncidentOf(early, 'api')).not.toBeNull();
    expect(late.incidents[0]!.status).toBe('resolved');
    expect(late.incidents[0]!.resolvedAt).toBe(isoAt(480));
  });

  it('an anomaly after recovery started keeps the incident open', () => {
    let state = emptyAlertingState();
    state = applyAnomaly(state, anomaly('api', 'cpu', 0), at(0), cfg);
    state = applyNormal(state, { serviceId: 'api', metric: 'cpu', at: isoAt(60) }, at(60), cfg);
    state = applyAnomaly(state, anomaly('api', 'cpu', 120), at(120), cfg);
    expect(flush(state, at(60 + 300), cfg).state.incidents[0]!.status).toBe('open');
  });

  it('a sample with no anomalies counts as normal for each of its metrics', () => {
    const readings = normalReadings(
      { serviceId: 'api', at: isoAt(60), metrics: { cpu: 30, memory: 50, p95: null } },
      ['memory'],
    );
    expect(readings).toEqual([{ serviceId: 'api', metric: 'cpu', at: isoAt(60), value: 30 }]);
  });

  it('a late anomaly from before the recovery does not reopen the incident', () => {
    // Prepare: resolved at 6 min
    let state = emptyAlertingState();
    state = applyAnomaly(state, anomaly('api', 'cpu', 0), at(0), cfg);
    state = applyNormal(state, { serviceId: 'api', metric: null, at: isoAt(60) }, at(60), cfg);
    state = applyNormal(state, { serviceId: 'api', metric: null, at: isoAt(360) }, at(360), cfg);
    state = flush(state, at(400), cfg).state;
    // Act
    const after = applyAnomaly(state, anomaly('api', 'cpu', 30), at(410), cfg);
    const reopened = applyAnomaly(state, anomaly('api', 'cpu', 420), at(420), cfg);
    // Assess
    expect(after).toEqual(state);
    expect(reopened.incidents).toHaveLength(2);
    expect(openIncidentOf(reopened, 'api')!.id).toBe(incidentKey('api', isoAt(420)));
  });

  it('an incident with no news for staleAfter resolves without normal readings', () => {
    let state = applyAnomaly(emptyAlertingState(), anomaly('api', 'cpu', 0), at(0), cfg);
    state = flush(state, at(1800), cfg).state;
    expect(state.incidents[0]!.status).toBe('resolved');
  });
});
