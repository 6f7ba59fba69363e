// The notify pipeline with in-memory adapters: which stream items matter, and publish-once across
// a crash between publishing and saving.
import { readFileSync } from 'node:fs';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { streamImage } from '../../../lib/store/stream-image';
import { alertInputOf } from '../../../functions/notify';
import {
  alertingConfigSchema,
  emptyAlertingState,
  parseNotificationMessage,
  type AlertingState,
} from '../../../src/alerting';
import type { Anomaly, Sample } from '../../../src/model';
import type { NotificationClaim, OutboundMessage } from '../../../src/ports';
import { processAlertInput, type AlertDeps } from '../../../src/use-cases/alert-notifications';

function record(name: string) {
  const event = JSON.parse(readFileSync(`events/${name}`, 'utf8')) as DynamoDBStreamEvent;
  return streamImage(event.Records[0]!);
}

function memoryDeps(at: Date) {
  let saved: AlertingState = emptyAlertingState();
  const log = new Map<string, 'sending' | 'sent'>();
  const published: OutboundMessage[] = [];
  let crashOnSave = false;
  const deps: AlertDeps = {
    clock: { now: () => at },
    config: alertingConfigSchema.parse({ groupWaitSeconds: 0, decisionWaitSeconds: 0 }),
    observations: { anomaliesSince: async () => [] },
    store: {
      loadServiceState: async () => saved,
      saveServiceState: async (_before, after) => {
        if (crashOnSave) throw new Error('crashed');
        saved = after;
      },
    },
    log: {
      claim: async (key): Promise<NotificationClaim> => {
        const state = log.get(key);
        if (state === 'sent') return 'already-sent';
        if (state === 'sending') return 'in-flight';
        log.set(key, 'sending');
        return 'claimed';
      },
      markSent: async (key) => void log.set(key, 'sent'),
      release: async (key) => void log.delete(key),
    },
    notifier: {
      publish: async (m) => {
        published.push(m);
        return { messageId: `m-${published.length}` };
      },
    },
  };
  return { deps, published, crash: (on: boolean) => (crashOnSave = on) };
}

describe('notify stream items', () => {
  it('reads anomalies, samples and status changes of decisions; ignores the rest', () => {
    expect(alertInputOf(record('dynamodb-stream.insert-anomaly.json'))?.kind).toBe('anomaly');
    expect(alertInputOf(record('dynamodb-stream.insert-sample.json'))?.kind).toBe('sample');
    expect(alertInputOf(record('dynamodb-stream.modify-decision-executed.json'))?.kind).toBe(
      'decision',
    );
    const heartbeat = { ...record('dynamodb-stream.insert-anomaly.json'), kind: 'heartbeat' };
    expect(alertInputOf(heartbeat)).toBeNull();
  });

  it('publishes an incident once even when the first delivery dies after publishing', async () => {
    const input = alertInputOf(record('dynamodb-stream.insert-anomaly.json'))!;
    const at = new Date(Date.parse((input as { anomaly: { at: string } }).anomaly.at) + 1000);
    const { deps, published, crash } = memoryDeps(at);

    crash(true);
    await expect(processAlertInput(deps, input)).rejects.toThrow('crashed');
    crash(false);
    const retry = await processAlertInput(deps, input);
    await processAlertInput(deps, input);

    expect(published).toHaveLength(1);
    expect(retry.duplicates).toHaveLength(1);
    expect(published[0]!.structure).toBe('json');
    const body = JSON.parse(published[0]!.body) as { default: string; email: string };
    expect(parseNotificationMessage(body.default).serviceId).toBe('web');
    expect(body.email).toMatch(/What happened/);
  });

  it('counts an incident opened once, redeliveries included, and times anomaly → message', async () => {
    const input = alertInputOf(record('dynamodb-stream.insert-anomaly.json'))!;
    const at = new Date(Date.parse((input as { anomaly: { at: string } }).anomaly.at) + 1000);
    const { deps } = memoryDeps(at);
    const counted: [string, number][] = [];
    const timed: [string, number][] = [];
    deps.telemetry = {
      count: (name, value = 1) => void counted.push([name, value]),
      timing: (name, ms) => void timed.push([name, ms]),
    };

    await processAlertInput(deps, input);
    await processAlertInput(deps, input);

    expect(counted).toEqual([['IncidentsOpened', 1]]);
    expect(timed).toEqual([['AnomalyToNotifyLatency', 1000]]);
  });
});

describe('an incident ends on a minute with nothing wrong', () => {
  const T = Date.parse('2026-11-22T10:00:00.000Z');
  const minute = (n: number) => new Date(T + n * 60_000).toISOString();
  const anomaly = (metric: string, n: number, value: number, upper: number): Anomaly => ({
    id: `web~${minute(n)}~${metric}`,
    serviceId: 'web',
    metric,
    at: minute(n),
    value,
    score: 0.95,
    direction: 'up',
    expected: upper - 5,
    lower: upper - 10,
    upper,
    severity: 'critical',
    explanation: `${metric} far above its usual`,
    desiredCount: 3,
  });
  const sample = (n: number, metrics: Record<string, number>): Sample => ({
    serviceId: 'web',
    at: minute(n),
    metrics,
    ecs: null,
  });

  it('does not resolve on a sample that carries a new anomaly: the new symptom joins the incident', async () => {
    // Prepare: a CPU incident, then CPU back inside its band for the whole resolve interval; the
    // last of those samples is also the first minute of memory far above its usual.
    let now = new Date(T + 90_000);
    const { deps, published } = memoryDeps(now);
    deps.clock = { now: () => now };
    const memory = anomaly('memory', 6, 62, 58);
    deps.observations = {
      anomaliesSince: async (_id, since) => (since.toISOString() <= memory.at ? [memory] : []),
    };
    await processAlertInput(deps, { kind: 'anomaly', anomaly: anomaly('cpu', 0, 91, 60) });
    for (let n = 1; n <= 5; n++) {
      now = new Date(T + (n + 2) * 60_000);
      await processAlertInput(deps, { kind: 'sample', sample: sample(n, { cpu: 40, memory: 50 }) });
    }
    const opened = published.length;

    // Act: the sample of minute 6 (CPU still normal), then its memory anomaly.
    now = new Date(T + 8 * 60_000);
    await processAlertInput(deps, { kind: 'sample', sample: sample(6, { cpu: 40, memory: 62 }) });
    await processAlertInput(deps, { kind: 'anomaly', anomaly: memory });

    // Assess: nobody is told "back to normal" while memory has just gone wrong.
    const phases = published
      .slice(opened)
      .map((m) => parseNotificationMessage(JSON.parse(m.body).default as string).phase);
    expect(opened).toBe(1);
    expect(phases).not.toContain('resolved');
  });
});
