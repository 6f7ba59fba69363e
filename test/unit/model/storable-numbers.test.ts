// Every number a service's configuration or a push lets in is one DynamoDB stores as sent, and the
// load values target scaling sizes on are ones ECS can report.
import { describe, expect, it } from 'vitest';
import {
  isStorableNumber,
  scalingReadingSchema,
  serviceSchema,
  storableNumber,
} from '../../../src/model';
import { metricsPushSchema } from '../../../src/use-cases/pushed-metrics';

const service = { id: 'web', name: 'Web', ecs: { cluster: 'prod', service: 'web' } };

function issues(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('storable numbers', () => {
  it('are 0 or of magnitude 1e-130 up to 2^53 - 1', () => {
    for (const ok of [
      0,
      -0,
      1e-130,
      -1e-130,
      0.1,
      42,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
    ]) {
      expect(isStorableNumber(ok)).toBe(true);
      expect(storableNumber().safeParse(ok).success).toBe(true);
    }
    for (const bad of [1e-131, -1e-200, 2 ** 53, -(2 ** 60), 1e300, Infinity, NaN]) {
      expect(isStorableNumber(bad)).toBe(false);
      expect(storableNumber().safeParse(bad).success).toBe(false);
    }
  });

  it('bound every fractional setting of a service, naming the field', () => {
    expect(
      issues(
        serviceSchema.safeParse({
          ...service,
          targets: { cpu: 1e-200 },
          scaling: { tolerance: 1e-140, maxScaleOutPercent: 1e300, requestsPerTaskCapacity: 1e20 },
        }),
      ),
    ).toEqual([
      'targets.cpu: must be 0 or at least 1e-130 in magnitude',
      'scaling.tolerance: must be 0 or at least 1e-130 in magnitude',
      'scaling.requestsPerTaskCapacity: must be at most 9007199254740991 (2^53 - 1)',
      'scaling.maxScaleOutPercent: must be at most 9007199254740991 (2^53 - 1)',
    ]);
    expect(
      issues(
        serviceSchema.safeParse({ ...service, scaling: { queue: { processingSeconds: 1e-150 } } }),
      ),
    ).toEqual(['scaling.queue.processingSeconds: must be 0 or at least 1e-130 in magnitude']);
    expect(issues(serviceSchema.safeParse({ ...service, maxTasks: 2 ** 53 }))[0]).toMatch(
      /^maxTasks: /,
    );
  });
});

describe('pushed load values', () => {
  const pushOf = (metrics: Record<string, number>) =>
    metricsPushSchema.safeParse({ serviceId: 'web', metrics });

  it('accept what ECS reports, bursts above the reservation included', () => {
    expect(pushOf({ cpu: 400, memory: 130, requests: 1200.5, tasks: 3 }).success).toBe(true);
    expect(pushOf({ cpu: 0, memory: 0, requests: 0 }).success).toBe(true);
    expect(pushOf({ profit: -12.5 }).success).toBe(true);
  });

  it('refuse utilisation beyond ten times the reservation, and fewer than one task', () => {
    expect(issues(pushOf({ cpu: 1_000_000, tasks: 0 }))).toEqual([
      'metrics.cpu: must be at most 1000 (%)',
      'metrics.tasks: must be at least 1: the tasks that produced the values',
    ]);
    expect(issues(pushOf({ memory: 1001, tasks: 1.5, requests: -1 }))).toEqual([
      'metrics.memory: must be at most 1000 (%)',
      'metrics.requests: must not be negative',
      'metrics.tasks: must be a whole number of tasks',
    ]);
  });

  it('refuse any value DynamoDB cannot store, once per field', () => {
    expect(issues(pushOf({ cpu: 1e-200, orders: 2 ** 60 }))).toEqual([
      'metrics.cpu: must be 0 or at least 1e-130 in magnitude',
      'metrics.orders: must be at most 9007199254740991 (2^53 - 1)',
    ]);
  });

  it('hold for a stored reading too', () => {
    const reading = { serviceId: 'web', at: '2026-03-02T10:00:00.000Z', source: 'pushed' };

    expect(scalingReadingSchema.safeParse({ ...reading, cpu: 250, tasks: 2 }).success).toBe(true);
    expect(issues(scalingReadingSchema.safeParse({ ...reading, cpu: 5000, tasks: 0 }))).toEqual([
      'cpu: must be at most 1000 (%)',
      'tasks: must be at least 1: the tasks that produced the values',
    ]);
  });
});
