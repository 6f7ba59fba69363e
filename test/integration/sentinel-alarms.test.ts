// The sentinel-alarm wake path on the emulator: the collect dispatcher keeps one CloudWatch alarm
// per service in step with the fleet (config file and API), and the wake function, fed the
// EventBridge event of an alarm going to ALARM, marks the service hot and reads it now; the next
// tick reads it again although its calm read is not due, and a second delivery changes nothing.
import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  SetAlarmStateCommand,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import { beforeEach, describe, expect, it } from 'vitest';
import { cloudwatchClient } from '../../lib/aws/cloudwatch-client';
import { collectDeps, sentinelReconciler } from '../../lib/wiring/collect';
import { modelStore } from '../../lib/wiring/table';
import { readVerdict } from '../../src/collection/read-cadence';
import { dispatchCollect } from '../../src/use-cases/collect-dispatch';
import { defaultCollectOptions, type CollectOptions } from '../../src/use-cases/collect-tick';
import { DemoMetricsFeeder } from '../../scripts/lib/demo-fleet';
import { apiRequest } from '../support/api-get';
import { deployedLongAgo, minute, wallClock } from '../support/collect-stack';
import {
  freshLocalStack,
  localAdapters,
  localConfig,
  useStackEnvironment,
} from '../support/local-aws';

const prefix = 'vigia-dev-sentinel-';
/** Calm reads every 15 minutes: without the wake, nothing is read between them. */
const options: CollectOptions = {
  ...defaultCollectOptions,
  // No anomaly on the demo's noise may make a service hot: only the wake does here.
  detectionEnabled: false,
  cadence: { calmEveryMinutes: 15, hotForMinutes: 15, nearTargetPercent: 10 },
};
const billing = {
  id: 'billing',
  name: 'Billing',
  type: 'api',
  ecs: { cluster: 'vigia-demo', service: 'billing' },
  targets: { cpu: 50, memory: 70 },
};

let env: Awaited<ReturnType<typeof setup>>;

async function setup(extraEnv: Record<string, string> = {}) {
  const stack = await freshLocalStack();
  useStackEnvironment(stack);
  const a = localAdapters(stack.endpoint, stack.tableName);
  const config = localConfig(stack.endpoint, stack.tableName, extraEnv);
  const collect = collectDeps(config);
  const deps = {
    ...collect,
    clock: wallClock,
    ecs: deployedLongAgo(collect.ecs),
    shards: {
      invoke: async () => {
        throw new Error('a fleet of one shard is collected inline');
      },
    },
    sentinels: sentinelReconciler(config),
  };
  return { stack, a, config, deps, cloudwatch: cloudwatchClient(config) };
}

async function tick(at: Date) {
  return dispatchCollect(env.deps, at, 100, options);
}

async function alarms(): Promise<MetricAlarm[]> {
  const out = await env.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: prefix }));
  return (out.MetricAlarms ?? []).sort((x, y) => x.AlarmName!.localeCompare(y.AlarmName!));
}

async function api(method: string, path: string, body?: unknown) {
  return (await apiRequest(method, path, { now: () => new Date(), scopes: ['admin'], body }))
    .status;
}

/** CloudWatch's own timestamp format in alarm events: 2026-12-02T10:41:00.123+0000. */
const cloudwatchTime = (d: Date) => d.toISOString().replace('Z', '+0000');

/**
 * The event EventBridge delivers for an alarm's state change (the "CloudWatch Alarm State Change"
 * shape), built from what the emulator describes after SetAlarmState.
 */
function stateChangeEvent(alarm: MetricAlarm) {
  const changed = alarm.StateUpdatedTimestamp!;
  return {
    version: '0',
    id: `evt-${alarm.AlarmName}-${changed.getTime()}`,
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: '123456789012',
    time: changed.toISOString().replace(/\.\d+Z$/, 'Z'),
    region: 'us-east-1',
    resources: [alarm.AlarmArn],
    detail: {
      alarmName: alarm.AlarmName,
      state: {
        value: alarm.StateValue,
        reason: alarm.StateReason,
        reasonData: alarm.StateReasonData,
        timestamp: cloudwatchTime(changed),
      },
      previousState: { value: 'OK', reason: 'Unchecked: Initial alarm creation' },
      configuration: {
        metrics: [
          {
            id: 'sentinel',
            metricStat: {
              metric: {
                namespace: alarm.Namespace,
                name: alarm.MetricName,
                dimensions: Object.fromEntries(
                  (alarm.Dimensions ?? []).map((d) => [d.Name, d.Value]),
                ),
              },
              period: alarm.Period,
              stat: alarm.Statistic,
            },
            returnData: true,
          },
        ],
      },
    },
  };
}

async function trip(serviceId: string) {
  await env.cloudwatch.send(
    new SetAlarmStateCommand({
      AlarmName: `${prefix}${serviceId}`,
      StateValue: 'ALARM',
      StateReason: 'Threshold Crossed: 1 datapoint [71.2] was greater than the threshold (54.0).',
    }),
  );
  const [alarm] = (
    await env.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [`${prefix}${serviceId}`] }))
  ).MetricAlarms!;
  return stateChangeEvent(alarm!);
}

async function invokeWake(event: unknown) {
  const { handler } = await import('../../functions/wake');
  return (await handler(event, { functionName: 'vigia-dev-wake' } as Context)) as {
    kind: string;
    read?: { samples: number };
  };
}

describe('sentinel alarms', () => {
  beforeEach(async () => {
    env = await setup();
  });

  it('are created, updated and deleted with the services of the file and the API', async () => {
    await tick(new Date());
    expect((await alarms()).map((a) => a.AlarmName)).toEqual([
      `${prefix}api`,
      `${prefix}web`,
      `${prefix}worker`,
    ]);
    expect((await alarms())[1]).toMatchObject({
      Namespace: 'AWS/ECS',
      MetricName: 'CPUUtilization',
      Statistic: 'Average',
      Period: 60,
      EvaluationPeriods: 1,
      // web's CPU target 60 less the cadence's near-target margin of 10 %.
      Threshold: 54,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: expect.arrayContaining([
        { Name: 'ClusterName', Value: 'vigia-demo' },
        { Name: 'ServiceName', Value: 'web' },
      ]),
    });

    expect(await api('POST', '/services', billing)).toBe(201);
    await tick(new Date());
    const added = (await alarms()).find((a) => a.AlarmName === `${prefix}billing`);
    expect(added).toMatchObject({ Threshold: 45 });

    expect(await api('PUT', '/services/billing', { ...billing, targets: { cpu: 80 } })).toBe(200);
    await tick(new Date());
    expect((await alarms()).find((a) => a.AlarmName === `${prefix}billing`)).toMatchObject({
      Threshold: 72,
    });

    expect(await api('DELETE', '/services/billing')).toBe(204);
    await tick(new Date());
    expect((await alarms()).map((a) => a.AlarmName)).toEqual([
      `${prefix}api`,
      `${prefix}web`,
      `${prefix}worker`,
    ]);
  });

  it('are put back within the hour when deleted by hand, and not touched while the fleet is unchanged', async () => {
    const now = Date.now();
    await tick(new Date(now));
    await env.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [`${prefix}web`] }));
    // Same fleet a minute later: the cheap check makes no CloudWatch call.
    await tick(new Date(now + 60_000));
    expect((await alarms()).map((a) => a.AlarmName)).not.toContain(`${prefix}web`);
    await tick(new Date(now + 61 * 60_000));
    expect((await alarms()).map((a) => a.AlarmName)).toContain(`${prefix}web`);
  });

  it('are all deleted when the sentinel is switched off', async () => {
    await tick(new Date());
    expect(await alarms()).toHaveLength(3);
    env = await setupOff();
    await tick(new Date());
    expect(await alarms()).toEqual([]);
  });

  it('wake a calm service: read now, hot at the next tick although its calm read is not due, and a second delivery does nothing', async () => {
    const feeder = new DemoMetricsFeeder(env.stack.endpoint, env.a.services);
    const tasks = new Map(env.a.services.map((s) => [s.id, 2]));
    const now = Math.floor(Date.now() / 60_000);
    await feeder.backfill(now - 40, now - 5, tasks);
    // The first read of every service, then a calm minute: nothing is due.
    await tick(minute(now - 5));
    await feeder.backfill(now - 5, now, tasks);
    const calm = await tick(minute(now - 4));
    expect(calm.inline).toMatchObject({ services: 3, notDue: 3, samples: 0 });

    const event = await trip('web');
    const woken = await invokeWake(event);
    expect(woken).toMatchObject({ kind: 'woken', serviceId: 'web' });
    // The minutes since the last read within the live window (5 min back from the wake's second),
    // up to the newest closed one.
    expect(woken.read!.samples).toBeGreaterThanOrEqual(3);
    expect((await env.a.store.latestSample('web'))?.at).toBe(minute(now - 1).toISOString());

    const models = await modelStore(env.config).loadServiceModels(['web', 'api']);
    expect(models.get('web')!.cadence!.wokenAt).toBe(Date.parse(event.detail.state.timestamp));
    const web = env.a.services.find((s) => s.id === 'web')!;
    const api = env.a.services.find((s) => s.id === 'api')!;
    const next = Math.floor(Date.now() / 60_000) + 1;
    const verdict = (s: typeof web) =>
      readVerdict(s, models.get(s.id)!.cadence, null, next * 60_000, options.cadence);
    expect(verdict(web)).toMatchObject({ due: true, hot: true, reason: 'sentinel' });
    expect(verdict(api)).toMatchObject({ due: false, reason: 'calm-not-due' });

    await feeder.backfill(now, next, tasks);
    const after = await tick(minute(next));
    expect(after.inline).toMatchObject({ services: 3, notDue: 2 });
    expect((await env.a.store.latestSample('web'))?.at).toBe(minute(next - 1).toISOString());
    expect((await env.a.store.latestSample('api'))?.at).toBe(minute(now - 6).toISOString());

    // EventBridge delivers at least once: the same event again reads nothing more.
    expect(await invokeWake(event)).toEqual({ kind: 'already-read', serviceId: 'web' });
    expect((await env.a.store.latestSample('web'))?.at).toBe(minute(next - 1).toISOString());
  });

  it('ignores alarms going back to OK, other alarms and services that are gone', async () => {
    await tick(new Date());
    const event = await trip('web');
    const ok = {
      ...event,
      detail: { ...event.detail, state: { ...event.detail.state, value: 'OK' } },
    };
    expect(await invokeWake(ok)).toMatchObject({ kind: 'ignored', reason: 'state OK' });
    const other = { ...event, detail: { ...event.detail, alarmName: 'vigia-prod-sentinel-web' } };
    expect(await invokeWake(other)).toMatchObject({ kind: 'ignored' });
    // The sample event (events/), CloudWatch's timestamp format included, parses; back to OK it
    // wakes nothing.
    const sample = JSON.parse(
      readFileSync('events/eventbridge.sentinel-alarm-state-change.json', 'utf8'),
    ) as typeof event;
    const sampleOk = {
      ...sample,
      detail: { ...sample.detail, state: { ...sample.detail.state, value: 'OK' } },
    };
    expect(await invokeWake(sampleOk)).toMatchObject({ kind: 'ignored', reason: 'state OK' });
    const gone = { ...event, detail: { ...event.detail, alarmName: `${prefix}nobody` } };
    expect(await invokeWake(gone)).toMatchObject({ kind: 'ignored', reason: 'no service nobody' });
  });
});

async function setupOff() {
  const off = { VIGIA_SENTINEL_ENABLED: 'false' };
  const next = await setupKeepingStack(off);
  return next;
}

/** The same emulator state, a new configuration (a new container with other settings). */
async function setupKeepingStack(extraEnv: Record<string, string>) {
  const config = localConfig(env.stack.endpoint, env.stack.tableName, extraEnv);
  return {
    ...env,
    config,
    deps: { ...env.deps, sentinels: sentinelReconciler(config) },
  };
}
