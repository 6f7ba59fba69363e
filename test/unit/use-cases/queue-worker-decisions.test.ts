// decide sizes a queue worker from its queue like autoscale does (issue 13 part 2): an anomaly on a
// worker whose policies allow a scale-out gets the workers the backlog needs, even at zero tasks.
import { describe, expect, it } from 'vitest';
import { decideFromAnomaly, emptyScalingState } from '../../../src/decision';
import { readingOfSample } from '../../../src/use-cases/autoscale';
import { aSample, aService, anAnomaly, anEcsState, ruleSwitches } from '../../support/builders';

const worker = aService({
  id: 'worker',
  type: 'worker',
  minTasks: 0,
  maxTasks: 20,
  policies: [{ name: 'scale-out-backlog', when: 'queue_backlog > 100', actions: ['scale-out'] }],
  scaling: { queue: { name: 'orders', processingSeconds: 1 } },
});
const idle = anEcsState({ desiredCount: 0, runningCount: 0, pendingCount: 0 });

describe('a queue worker', () => {
  it('is sized by decide from backlog and arrivals, from zero tasks', () => {
    // 4 msg/s × 1 s ÷ 0.8 = 5, plus 1,200 waiting × 1 s ÷ (300 s × 0.8) = 5: 10 workers.
    const metrics = { queue_backlog: 1200, queue_arrivals: 4, cpu: null, memory: null };
    const { decision } = decideFromAnomaly({
      service: worker,
      anomaly: anAnomaly({
        serviceId: 'worker',
        metric: 'queue_backlog',
        value: 1200,
        desiredCount: 0,
      }),
      sample: aSample({ serviceId: 'worker', metrics, ecs: idle }),
      openAnomalies: [],
      forecasts: [],
      learned: [],
      scalingState: emptyScalingState(),
      recentDecisions: [],
      switches: ruleSwitches,
    });

    expect(decision).toMatchObject({ action: 'scale-out', fromCount: 0, toCount: 4 });
    expect(decision.reason).toMatch(/queue/);
  });

  it("reads its queue from the collector's sample", () => {
    const reading = readingOfSample(
      aSample({
        serviceId: 'worker',
        metrics: { queue_backlog: 7, queue_arrivals: 0.5 },
        ecs: idle,
      }),
    );
    expect(reading).toMatchObject({ source: 'sample', queue_backlog: 7, queue_arrivals: 0.5 });
  });
});
