import { describe, expect, it } from 'vitest';
import { scalingConfigFor } from '../../../src/decision/scaling-config';
import { metricProposals, ratioProposal } from '../../../src/decision/metric-proposals';
import { planScaling, type ScalingInput } from '../../../src/decision/scaling-plan';
import { emptyScalingState } from '../../../src/decision/scaling-state';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const cfg = scalingConfigFor(
  { minTasks: 1, maxTasks: 50, targets: { cpu: 70, memory: 75 } },
  { requestsPerTaskCapacity: 100, scaleInCooldownSeconds: 0, preScaling: { band: true } },
);

describe('ratio proposals on late datapoints', () => {
  it('scales the per-task value by the tasks that produced it, not by the count now', () => {
    // Prepare: the datapoint saw 4 tasks at 140% of target; 8 run now (4 started since).
    const input = { desiredCount: 8, runningCount: 8, metricTaskCount: 4 };
    // Act
    const proposal = ratioProposal(input, 98, 70, 0.1);
    // Assess: 4 × 1.4 = 5.6 → 6, where 8 × 1.4 would have asked for 12.
    expect(proposal.desired).toBe(6);
  });

  it('falls back to the running count when the datapoint does not say', () => {
    expect(ratioProposal({ desiredCount: 4, runningCount: 4 }, 98, 70, 0.1).desired).toBe(6);
  });
});

describe('the forecast band', () => {
  const service = (desired: number, metrics: Partial<ScalingInput> = {}): ScalingInput => ({
    desiredCount: desired,
    runningCount: desired,
    pendingCount: 0,
    ...metrics,
  });

  it('proposes the expected load at the target and the band at the ceiling, separately', () => {
    // 600 rps expected → 8 tasks at 75 rps; 810 rps upper edge → 9 tasks at 90 rps.
    const proposals = metricProposals(
      service(4, { forecastRequestRate: [600, 600, 600], forecastRequestRateUpper: [810, 810] }),
      cfg,
    );
    expect(proposals.map((p) => [p.signal, p.desired])).toEqual([
      ['forecast', 8],
      ['forecast-band', 9],
    ]);
  });

  it('holds capacity while the band asks for it but does not pin scale-in afterwards', () => {
    // Prepare: load 300 rps needs 4 tasks; one noisy minute's band asked for 8.
    const calm = { requestsPerTask: 75, forecastRequestRate: [300, 300, 300] };
    const noisy = planScaling(
      service(4, { ...calm, forecastRequestRateUpper: [720, 720, 720] }),
      emptyScalingState(),
      cfg,
      t0,
    );
    expect(noisy.desired).toBe(8);
    // Act: the band narrows again two minutes later, with 8 tasks serving 300 rps.
    const later = planScaling(
      service(8, { requestsPerTask: 37.5, forecastRequestRate: [300, 300, 300] }),
      noisy.state,
      cfg,
      at(120),
    );
    // Assess: scale-in follows the measured recommendations of the window (4), not the band's 8.
    expect(later.action).toBe('scale-in');
    expect(later.desired).toBe(4);
  });

  it('stops scale-in at what the band needs, so a band that stays up is no ping-pong', () => {
    // Prepare: 9 tasks serve 270 rps (4 tasks' worth at 75 rps); the band's upper edge still
    // needs 9 tasks at the 90 rps ceiling (810 rps), or 6 (540 rps).
    const quiet = { requestsPerTask: 30, forecastRequestRate: [270, 270, 270] };
    // Act
    const held = planScaling(
      service(9, { ...quiet, forecastRequestRateUpper: [810, 810] }),
      emptyScalingState(),
      cfg,
      t0,
    );
    const lower = planScaling(
      service(9, { ...quiet, forecastRequestRateUpper: [540, 540] }),
      emptyScalingState(),
      cfg,
      t0,
    );
    // Assess: before, the band's proposal vanished once the count met it, and CPU scaled in to 4.
    expect(held.action).toBe('hold');
    expect(lower.action).toBe('scale-in');
    expect(lower.desired).toBe(6);
  });

  it('still stabilises scale-in on measured load seen within the window', () => {
    const busy = planScaling(service(8, { requestsPerTask: 75 }), emptyScalingState(), cfg, t0);
    const quiet = planScaling(service(8, { requestsPerTask: 20 }), busy.state, cfg, at(60));
    expect(quiet.action).toBe('hold');
  });
});
