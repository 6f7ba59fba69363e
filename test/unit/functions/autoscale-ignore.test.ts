import { describe, expect, it } from 'vitest';
import { canSize } from '../../../functions/autoscale';
import { readingOfSample } from '../../../src/use-cases/autoscale';
import { aSample } from '../../support/builders';

describe('which readings autoscale sizes on', () => {
  it('ignores a sample with no CPU, memory, request or queue value: it cannot change a size', () => {
    const latencyOnly = readingOfSample(aSample({ metrics: { latency_p95: 180, errors_5xx: 0 } }));
    expect(canSize(latencyOnly)).toBe(false);
  });

  it('sizes on a sample with any value target scaling reads', () => {
    expect(canSize(readingOfSample(aSample({ metrics: { cpu: 80 } })))).toBe(true);
    expect(canSize(readingOfSample(aSample({ metrics: { latency_p95: 1, requests: 12 } })))).toBe(
      true,
    );
  });
});
