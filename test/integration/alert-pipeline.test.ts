// The notify pipeline against the emulator: incidents in the real table, messages through the real
// SNS topic into the subscribed SQS inbox, once each, with the attributes subscriptions filter on.
import { beforeEach, describe, expect, it } from 'vitest';
import { createClients } from '../../lib/aws/clients';
import { SnsNotifier } from '../../lib/sns/sns-notifier';
import { DynamoAlertingStore } from '../../lib/store/alerting-store';
import {
  alertingConfigSchema,
  parseNotificationMessage,
  type AlertingState,
} from '../../src/alerting';
import { anomalyId, type Anomaly, type Sample } from '../../src/model';
import {
  flushServiceAlerts,
  processAlertInput,
  type AlertDeps,
} from '../../src/use-cases/alert-notifications';
import { FleetWatch, type InboxMessage } from '../../scripts/lib/fleet-watch';
import { freshLocalStack, localAdapters } from '../support/local-aws';

const t0 = Date.parse('2026-03-02T10:00:00.000Z');
const iso = (s: number) => new Date(t0 + s * 1000).toISOString();
const config = alertingConfigSchema.parse({
  statusPageUrl: 'https://status.example.com/#{service}',
  // These tests are about the group wait, so critical incidents wait too (by default they page at once).
  criticalGroupWaitSeconds: 30,
});

function anomaly(serviceId: string, metric: string, s: number, severity: Anomaly['severity']) {
  const at = iso(s);
  return {
    id: anomalyId(serviceId, metric, at),
    serviceId,
    metric,
    at,
    value: 97,
    score: 0.95,
    direction: 'up',
    expected: 40,
    lower: 20,
    upper: 60,
    severity,
    explanation: `${metric} 97.0 is far above its usual 40.0 (band 20.0-60.0)`,
    desiredCount: 2,
  } satisfies Anomaly;
}

function sample(serviceId: string, s: number): Sample {
  return { serviceId, at: iso(s), metrics: { cpu: 35, memory: 40 }, ecs: null };
}

async function drain(watch: FleetWatch, atLeast: number, waitMs = 4000): Promise<InboxMessage[]> {
  const got: InboxMessage[] = [];
  const until = Date.now() + waitMs;
  while (Date.now() < until) {
    got.push(...(await watch.receive(got.length >= atLeast ? 0 : 1)));
    if (got.length >= atLeast && (await watch.receive(0)).length === 0) break;
  }
  return got;
}

describe('notify pipeline on the local stack', () => {
  let deps: AlertDeps & { store: DynamoAlertingStore };
  let watch: FleetWatch;
  let clock: { seconds: number };
  let serviceId: string;

  beforeEach(async () => {
    const stack = await freshLocalStack();
    const local = localAdapters(stack.endpoint, stack.tableName);
    const aws = createClients({ endpoint: stack.endpoint, region: 'us-east-1' });
    clock = { seconds: 0 };
    serviceId = local.services[0]!.id;
    deps = {
      clock: { now: () => new Date(t0 + clock.seconds * 1000) },
      store: new DynamoAlertingStore(local.table, config),
      observations: local.store,
      log: local.store,
      notifier: new SnsNotifier(aws.sns, stack.topicArn, stack.endpoint),
      config,
    };
    watch = new FleetWatch(stack.endpoint, stack.tableName, stack.inboxQueueUrl);
  });

  it('opens an incident, waits the group wait, tells once, then resolves after normal samples', async () => {
    // Prepare: a critical anomaly arrives at t0.
    await processAlertInput(deps, {
      kind: 'anomaly',
      anomaly: anomaly(serviceId, 'cpu', 0, 'critical'),
    });
    expect(await drain(watch, 0, 1500)).toHaveLength(0);

    // Act: a second metric joins within the group wait; the timer fires after it.
    clock.seconds = 10;
    await processAlertInput(deps, {
      kind: 'anomaly',
      anomaly: anomaly(serviceId, 'memory', 10, 'warning'),
    });
    clock.seconds = 31;
    const flushed = await flushServiceAlerts(deps, serviceId);

    // Assess: one message for both metrics, with the filterable attributes.
    expect(flushed.published).toHaveLength(1);
    const [opened] = await drain(watch, 1);
    expect(opened?.attributes).toEqual({
      severity: 'critical',
      service: serviceId,
      kind: 'incident',
      route: `${serviceId}:critical`,
    });
    const n = parseNotificationMessage(opened!.message);
    expect(n.phase).toBe('opened');
    expect(n.metrics.map((m) => m.metric)).toEqual(['cpu']);
    expect(n.otherMetrics).toBe(1); // memory's warning is inhibited by the critical cpu
    expect(n.statusUrl).toBe(`https://status.example.com/#${serviceId}`);
    expect(opened!.subject).toMatch(new RegExp(serviceId));

    const stored = await deps.store.getIncident(n.incidentId!);
    expect(stored?.status).toBe('open');
    expect(stored?.delivery.sent).toBe(1);

    // Act: samples back inside the bands for the resolve window.
    for (let s = 60; s <= 420; s += 60) {
      clock.seconds = s;
      await processAlertInput(deps, { kind: 'sample', sample: sample(serviceId, s) });
    }
    const messages = await drain(watch, 1);

    // Assess: exactly one resolved message; the incident item is resolved with a TTL.
    expect(messages.map((m) => m.attributes.kind)).toEqual(['resolved']);
    const resolved = await deps.store.getIncident(n.incidentId!);
    expect(resolved?.status).toBe('resolved');
    expect(resolved?.resolvedAt).toBe(iso(60 + config.resolveAfterSeconds));
  });

  it('publishes once when a stream record is redelivered after a crash between publish and save', async () => {
    // Prepare: an open incident already due (group wait over).
    await processAlertInput(deps, {
      kind: 'anomaly',
      anomaly: anomaly(serviceId, 'cpu', 0, 'warning'),
    });
    clock.seconds = 45;
    const record = { kind: 'anomaly' as const, anomaly: anomaly(serviceId, 'cpu', 45, 'warning') };
    const crashing: AlertDeps = {
      ...deps,
      store: {
        loadServiceState: (id, now) => deps.store.loadServiceState(id, now),
        saveServiceState: async () => {
          throw new Error('Lambda timed out');
        },
      },
    };

    // Act: the first delivery publishes and dies; the stream delivers the record again, twice.
    await expect(processAlertInput(crashing, record)).rejects.toThrow(/timed out/);
    const second = await processAlertInput(deps, record);
    const third = await processAlertInput(deps, record);

    // Assess: one message in the inbox; the retry saw it as already sent.
    const messages = await drain(watch, 1);
    expect(messages).toHaveLength(1);
    expect(second.duplicates).toHaveLength(1);
    expect(second.published).toHaveLength(0);
    expect(third.published).toHaveLength(0);
  });

  it('a lost conditional write is retried from fresh state, and still one message', async () => {
    await processAlertInput(deps, {
      kind: 'anomaly',
      anomaly: anomaly(serviceId, 'cpu', 0, 'warning'),
    });
    clock.seconds = 40;
    // Two notify invocations race on the same service's state.
    const results = await Promise.all([
      flushServiceAlerts(deps, serviceId),
      flushServiceAlerts(deps, serviceId),
      processAlertInput(deps, { kind: 'sample', sample: sample(serviceId, 40) }),
    ]).catch((err: Error) => err);
    const messages = await drain(watch, 1);
    expect(messages).toHaveLength(1);
    if (!(results instanceof Error)) {
      expect(results.flatMap((r) => r.published)).toHaveLength(1);
    }
    const state: AlertingState = await deps.store.loadServiceState(serviceId, deps.clock.now());
    expect(state.incidents).toHaveLength(1);
    expect(state.incidents[0]?.delivery.sent).toBe(1);
  });
});
