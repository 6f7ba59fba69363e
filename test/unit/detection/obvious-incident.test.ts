// What an operator expects at the very least: an obvious incident on a calm service is flagged on
// the first minute it shows, not minutes later. (Added by the lead: the e2e loop and the demo rely on it.)
import { describe, expect, it } from 'vitest';
import { seriesDetector } from '../../../src/detection';

function calmCpu(minute: number): number {
  // ~35% with a gentle daily swing and ±4% deterministic jitter
  const jitter = (((minute * 2654435761) >>> 0) / 4294967295) * 2 - 1;
  return 35 * (1 + 0.15 * Math.sin((minute / 1440) * 2 * Math.PI)) * (1 + 0.04 * jitter);
}

describe('an obvious incident after three calm hours', () => {
  it('is flagged on its first point, above the band, at warning or critical', () => {
    let state = seriesDetector.init();
    for (let m = 0; m < 180; m++) {
      state = seriesDetector.update(state, { timestamp: m * 60_000, value: calmCpu(m) }).state;
    }

    const { output } = seriesDetector.update(state, {
      timestamp: 180 * 60_000,
      value: calmCpu(180) * 2.5,
    });

    expect(output.anomalous).toBe(true);
    expect(output.direction).toBe('up');
    expect(['warning', 'critical']).toContain(output.severity);
    expect(output.upper!).toBeLessThan(calmCpu(180) * 2.5);
    expect(output.explanation).toMatch(/above/);
  });

  it('is flagged when the level drops to a fraction of normal too', () => {
    let state = seriesDetector.init();
    for (let m = 0; m < 180; m++) {
      state = seriesDetector.update(state, { timestamp: m * 60_000, value: calmCpu(m) }).state;
    }

    const { output } = seriesDetector.update(state, { timestamp: 180 * 60_000, value: 2 });

    expect(output.anomalous).toBe(true);
    expect(output.direction).toBe('down');
  });
});
