// Wrong "resolved" messages (issue #14), seen in bench:incidents (seed 1): a sample reaches notify a
// minute or two after its minute, so an incident whose readings were normal for three minutes was
// resolved on the clock at five; the fault's next anomaly then arrived "from before the recovery"
// and was dropped, and the service stayed bad with the incident told resolved. And a forecast
// breach, repeated by the watch once an hour while still forecast, went stale after 30 minutes:
// "resolved" while memory was still climbing.
import { describe, expect, it } from 'vitest';
import {
  applyAnomaly,
  applyNormal,
  emptyAlertingState,
  flush,
  openIncidentOf,
  type AlertingState,
} from '../../../src/alerting';
import { anAnomaly, anomaly, at, config, isoAt } from '../../support/builders';

const cfg = config();

/** Whole-sample normal readings for minutes `from`..`to`, each arriving `lagMinutes` later. */
function normalMinutes(state: AlertingState, from: number, to: number, lagMinutes = 2) {
  let s = state;
  for (let m = from; m <= to; m++) {
    s = applyNormal(
      s,
      { serviceId: 'api', metric: null, at: isoAt(m * 60) },
      at((m + lagMinutes) * 60),
      cfg,
    );
  }
  return s;
}

function memoryForecast(seconds: number) {
  return anAnomaly({
    serviceId: 'api',
    metric: 'memory_forecast',
    source: 'forecast',
    at: isoAt(seconds),
    value: 70,
    expected: null,
    lower: null,
    upper: null,
    severity: 'warning',
    explanation: 'memory of api reaches 95% in about 40 minutes',
  });
}

describe('resolving on readings, not on the clock', () => {
  it('waits for readings through the whole resolve interval', () => {
    // cpu anomalous at minute 0, normal from minute 1; samples arrive two minutes late.
    let state = applyAnomaly(emptyAlertingState(), anomaly('api', 'cpu', 0), at(120), cfg);
    state = normalMinutes(state, 1, 4);

    // The clock says six minutes, but only minutes 1-4 have been read.
    const onTheClock = flush(state, at(6 * 60), cfg).state;
    const read = flush(normalMinutes(state, 5, 6), at(8 * 60), cfg).state;

    expect(openIncidentOf(onTheClock, 'api')).not.toBeNull();
    expect(read.incidents[0]!.status).toBe('resolved');
    expect(read.incidents[0]!.resolvedAt).toBe(isoAt(6 * 60));
  });

  it('keeps the incident open for the anomaly of a minute not yet read', () => {
    let state = applyAnomaly(emptyAlertingState(), anomaly('api', 'cpu', 0), at(120), cfg);
    state = normalMinutes(state, 1, 4);
    state = flush(state, at(6 * 60), cfg).state;

    // Minute 5's reading was anomalous again; it arrives at minute 7.
    state = applyAnomaly(state, anomaly('api', 'cpu', 5 * 60), at(7 * 60), cfg);

    const open = openIncidentOf(state, 'api');
    expect(open).not.toBeNull();
    expect(open!.metrics.cpu!.lastAt).toBe(isoAt(5 * 60));
    expect(state.incidents).toHaveLength(1);
  });
});

describe('a forecast breach', () => {
  it('stays open while the watch keeps forecasting it, and goes stale 80 minutes after the last', () => {
    let state = applyAnomaly(emptyAlertingState(), memoryForecast(0), at(60), cfg);
    // The watch repeats a breach still forecast once the hour-long episode is over.
    const halfHour = flush(state, at(40 * 60), cfg).state;
    state = applyAnomaly(state, memoryForecast(61 * 60), at(62 * 60), cfg);
    const later = flush(state, at(100 * 60), cfg).state;
    const quiet = flush(state, at((61 + 81) * 60), cfg).state;

    expect(openIncidentOf(halfHour, 'api')).not.toBeNull();
    expect(openIncidentOf(later, 'api')).not.toBeNull();
    expect(quiet.incidents[0]!.status).toBe('resolved');
  });
});
