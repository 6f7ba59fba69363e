// The cost model's arithmetic on a hand-checked usage, the usage derived from the call pattern, and
// a counted bench:collect usage read back.
import { describe, expect, it } from 'vitest';
import { awsPrices } from '../../../bench/cost/aws-prices';
import { monthlyCost } from '../../../bench/cost/cost-model';
import { deriveUsage, typicalScenario } from '../../../bench/cost/derive-usage';
import { countedUsage } from '../../../bench/cost/usage-file';
import type { ServiceTickUsage } from '../../../bench/cost/usage';

const handChecked: ServiceTickUsage = {
  services: 10,
  tickMinutes: 1,
  cloudwatchMetricsRequested: 2,
  cloudwatchCalls: 0.004,
  ecsCalls: 0.1,
  dynamoWriteUnits: 1,
  dynamoReadUnits: 2,
  bytesWritten: 600,
  lambdaInvocations: 0.1,
  lambdaGbSeconds: 0.01,
  snsPublishes: 0,
  apiRequests: 4,
  storedBytes: 1024 ** 3,
  alarmMetrics: 1,
};

describe('monthlyCost', () => {
  it('prices a hand-checked usage by component over a 730-hour month', () => {
    const cost = monthlyCost(handChecked);
    // 43,800 ticks: 87,600 metrics × $0.01/1,000 = $0.876, plus one alarm metric $0.10.
    expect(cost.perService.cloudwatch).toBeCloseTo(0.976, 6);
    // 43,800 WRU × $0.625/M + 87,600 RRU × $0.125/M + 1 GB-month × $0.25.
    expect(cost.perService.dynamodb).toBeCloseTo(0.027375 + 0.01095 + 0.25, 6);
    // 4,380 requests × $0.20/M + 438 GB-s × $0.0000133334.
    expect(cost.perService.lambda).toBeCloseTo(0.000876 + 0.00584003, 6);
    // 175,200 HTTP API requests × $1/M.
    expect(cost.perService.apiGateway).toBeCloseTo(0.1752, 6);
    expect(cost.perService.sns).toBe(0);
    expect(cost.perServiceTotal).toBeCloseTo(0.976 + 0.288325 + 0.00671603 + 0.1752, 6);
    expect(cost.fleetTotal).toBeCloseTo(cost.perServiceTotal * 10, 6);
    expect(cost.fleet.cloudwatch).toBeCloseTo(9.76, 6);
  });

  it('counts ticks of several minutes as fewer ticks a month', () => {
    const every5 = monthlyCost({ ...handChecked, tickMinutes: 5, alarmMetrics: 0 });
    expect(every5.ticksPerMonth).toBe(8760);
    expect(every5.perService.cloudwatch).toBeCloseTo(0.1752, 6);
  });

  it("gives the issue's figure for two metrics read every minute (about $0.86, here 730 h)", () => {
    const cost = monthlyCost({ ...handChecked, alarmMetrics: 0 });
    expect(cost.lines.find((l) => l.price === 'cloudwatchMetricsRequested')!.usd).toBeCloseTo(
      0.876,
      6,
    );
  });

  it('dates every price and names its public page', () => {
    for (const price of Object.values(awsPrices)) {
      expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
    }
  });
});

describe('deriveUsage', () => {
  const calm = { ...typicalScenario, hotShare: 0 };

  it('requests every metric every minute at cadence 1, and a fifth of them every 5 minutes', () => {
    expect(deriveUsage({ ...calm, calmEveryMinutes: 1 }).cloudwatchMetricsRequested).toBe(5);
    expect(deriveUsage({ ...calm, calmEveryMinutes: 5 }).cloudwatchMetricsRequested).toBe(1);
    // Hot services are read every minute whatever K is.
    const hot = deriveUsage({ ...typicalScenario, hotShare: 0.1, calmEveryMinutes: 10 });
    expect(hot.cloudwatchMetricsRequested).toBeCloseTo(5 * (0.1 + 0.9 / 10), 9);
  });

  it('writes fewer models but the same samples when calm reads bring several minutes', () => {
    const every1 = deriveUsage({ ...calm, calmEveryMinutes: 1 });
    const every5 = deriveUsage({ ...calm, calmEveryMinutes: 5 });
    // Per tick: 1 sample (1 WRU) in both; the 5 models (2 KB, 2 WRU each) once per read.
    expect(every1.dynamoWriteUnits - every5.dynamoWriteUnits).toBeGreaterThan(10 - 2 - 1);
    expect(every5.bytesWritten).toBeLessThan(every1.bytesWritten);
  });

  it('writes samples for the live window only when a calm read brings 10 minutes', () => {
    // Per tick: 5 of 10 minutes become samples (600 B), the 5 models (1.9 KB) are saved once per
    // read, and autoscale saves its state (800 B) for the 2 readings young enough to act on.
    const every10 = deriveUsage({ ...calm, calmEveryMinutes: 10 });
    expect(every10.bytesWritten).toBeCloseTo(0.5 * 600 + 0.1 * 5 * 1900 + 0.2 * 800, 9);
  });

  it('prices pushes as HTTP API requests and transactional writes', () => {
    const pushed = deriveUsage({ ...calm, pushIntervalSeconds: 15 });
    expect(pushed.apiRequests).toBe(4);
    const plain = deriveUsage(calm);
    // Each push: a rate-limit update (1) and a transaction of 3 points + reading (2 each), then
    // autoscale's state write (1).
    expect(pushed.dynamoWriteUnits - plain.dynamoWriteUnits).toBeGreaterThan(4 * 10);
  });

  it('adds the sentinel alarm as one standing alarm metric', () => {
    const cost = monthlyCost(deriveUsage({ ...calm, sentinelAlarm: true }));
    expect(cost.lines.find((l) => l.price === 'cloudwatchAlarmMetric')!.usd).toBeCloseTo(0.1, 9);
  });
});

describe('countedUsage', () => {
  const derived = deriveUsage(typicalScenario);

  it('reads a bench:collect report and fills the fields it did not count', () => {
    const {
      storedBytes: _s,
      tracedInvocations: _t,
      logBytes: _l,
      alarmMetrics: _a,
      ...bare
    } = handChecked;
    const { usage, derivedFields } = countedUsage({ servicesPerMinute: 1, usage: bare }, derived);
    expect(usage.cloudwatchMetricsRequested).toBe(2);
    expect(derivedFields).toEqual(['tracedInvocations', 'logBytes', 'storedBytes', 'alarmMetrics']);
    expect(usage.storedBytes).toBe(derived.storedBytes);
  });

  it('refuses a file without a counted field', () => {
    const { dynamoWriteUnits: _w, ...missing } = handChecked;
    expect(() => countedUsage(missing, derived)).toThrow(/dynamoWriteUnits/);
  });
});
