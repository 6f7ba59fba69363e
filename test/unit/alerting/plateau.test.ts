// Resolve only when healthy (issue #14): a fault that settles at a new level stops raising
// anomalies once the detector learns it, yet the incident stays open and /status is not
// operational until the metric is back inside the band learned before the incident.
import { describe, expect, it } from 'vitest';
import {
  applyAnomaly,
  applyNormal,
  emptyAlertingState,
  normalReadings,
  openIncidentOf,
  type AlertingState,
} from '../../../src/alerting';
import { serviceStatus } from '../../../src/use-cases/status-report';
import { aSample, aService, anomaly, at, config, isoAt } from '../../support/builders';

const cfg = config();

/** One sample a minute from `fromMinute` to `toMinute`, no anomaly in any (the detector adapted). */
function quietSamples(state: AlertingState, fromMinute: number, toMinute: number, cpu: number) {
  let s = state;
  for (let m = fromMinute; m <= toMinute; m++) {
    const sample = { serviceId: 'api', at: isoAt(m * 60), metrics: { cpu } };
    for (const reading of normalReadings(sample, [])) s = applyNormal(s, reading, at(m * 60), cfg);
  }
  return s;
}

function statusOf(state: AlertingState) {
  const open = state.incidents.filter((i) => i.status === 'open');
  return serviceStatus(aService({ id: 'api' }), aSample({ serviceId: 'api' }), [], open).state;
}

describe('an incident on a plateau', () => {
  it('stays open while cpu sits at 90% the detector has learned, and /status is not operational', () => {
    // cpu rises to 95 against a band of 20-60 learned before; then settles at 90 with no anomaly.
    let state = applyAnomaly(emptyAlertingState(), anomaly('api', 'cpu', 0), at(0), cfg);

    state = quietSamples(state, 1, 120, 90);

    expect(openIncidentOf(state, 'api')).not.toBeNull();
    expect(statusOf(state)).toBe('degraded');
  });

  it('resolves once cpu has been back inside the old band for the resolve interval', () => {
    let state = applyAnomaly(emptyAlertingState(), anomaly('api', 'cpu', 0), at(0), cfg);
    state = quietSamples(state, 1, 30, 90);

    state = quietSamples(state, 31, 40, 45);

    expect(openIncidentOf(state, 'api')).toBeNull();
    expect(state.incidents[0]!.resolvedAt).toBe(isoAt(36 * 60));
    expect(statusOf(state)).toBe('operational');
  });

  it('a threshold that fired holds the incident open while the value is above it', () => {
    // The detector's old band says 20-60; the policy threshold 80 fired too: 70 is still bad.
    const threshold = {
      ...anomaly('api', 'cpu', 60),
      id: 'api~t~cpu~scale-out-cpu',
      source: 'threshold' as const,
      policy: 'scale-out-cpu',
      value: 85,
      upper: 80,
      lower: null,
    };
    let state = applyAnomaly(emptyAlertingState(), threshold, at(60), cfg);

    state = quietSamples(state, 2, 60, 85);

    expect(openIncidentOf(state, 'api')!.metrics.cpu!.healthyAtMost).toBe(80);
    expect(openIncidentOf(state, 'api')).not.toBeNull();
  });
});
