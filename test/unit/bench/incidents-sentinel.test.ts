// bench:incidents --cadence sentinel: the production default reads a calm service every 15 minutes
// and relies on the service's sentinel alarm (CPU, or requests per target) to wake it between reads.
// The simulated alarm follows the alarm's own rule on the simulated CloudWatch datapoints, and its
// state change wakes the service as the wake function does.
import { describe, expect, it } from 'vitest';
import { newSim, playVigia, scenarioService } from '../../../bench/incidents/play';
import { makeScenario, type Scenario } from '../../../bench/incidents/scenarios';
import { SimSentinelAlarm } from '../../../bench/incidents/sim-adapters';
import { collectOptionsFor, scheduledStepsFor } from '../../../bench/incidents/vigia-pipeline';
import { sentinelSpec } from '../../../src/collection/sentinel-alarm';
import { defaultCadence } from '../../../src/collection/read-cadence';

/** A load spike on a calm service: 40 % of its capacity, then ×2.5 at the fault. */
function calmThenSpike(): Scenario {
  const s = makeScenario('load-spike', 0, 11);
  const calm = s.init.tasks * s.settings.capacityPerTask * 0.4;
  s.conditions.rate = (m) => (m >= s.faultMinute ? calm * 2.5 : calm);
  return s;
}

describe('the simulated sentinel alarm', () => {
  it("trips on the first published minute over the alarm's threshold, once", () => {
    const s = calmThenSpike();
    const sim = newSim(s);
    const spec = sentinelSpec(scenarioService(s), 'bench', defaultCadence);
    const alarm = new SimSentinelAlarm(sim, spec);
    const changes: { minute: number; state: string }[] = [];
    for (let m = 0; m < s.faultMinute + 10; m++) {
      sim.runMinute();
      const change = alarm.evaluate(new Date(s.settings.startMs + (m + 1) * 60_000));
      if (change) changes.push({ minute: m + 1, state: change.state });
    }

    // The CPU target is 70 %; the alarm is 10 % under it. Calm at about 28 %: OK from the start,
    // then ALARM once the spike's first minute is published (tick F + 2), and no second event.
    expect(spec).toMatchObject({ metricName: 'CPUUtilization', threshold: 63 });
    expect(changes).toEqual([
      { minute: 1, state: 'OK' },
      { minute: s.faultMinute + 2, state: 'ALARM' },
    ]);
  });

  it('reads calm services every 15 minutes, with the sentinel step first', () => {
    expect(collectOptionsFor('sentinel').cadence.calmEveryMinutes).toBe(15);
    expect(collectOptionsFor('minute').cadence.calmEveryMinutes).toBe(1);
    expect(scheduledStepsFor('sentinel').map((x) => x.name)).toEqual([
      'sentinel',
      'collect',
      'sweep',
      'verify',
      'alert-timers',
    ]);
    expect(scheduledStepsFor('minute').map((x) => x.name)[0]).toBe('collect');
  });

  it('wakes a calm service on the alarm: the spike is read and scaled out before the calm poll', async () => {
    const s = calmThenSpike();
    const woken = await playVigia(s, { cadence: 'sentinel' });
    const unwoken = await playVigia(s, {
      cadence: 'sentinel',
      steps: scheduledStepsFor('sentinel').filter((x) => x.name !== 'sentinel'),
    });
    const firstScaleOut = (run: typeof woken) =>
      run.actions.find((a) => a.at >= s.faultMinute * 60 && a.action === 'scale-out')!.at / 60;

    expect(woken.detectedAtMinute! - s.faultMinute).toBeLessThanOrEqual(4);
    expect(firstScaleOut(woken)).toBeLessThan(firstScaleOut(unwoken));
  });
});
