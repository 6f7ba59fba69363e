// Escalation under the minute timer, on an injected clock: a critical incident nobody acknowledges
// pages level 1 after afterMinutes, level 2 after as long again, then level 2 again and again; an
// acknowledgement through the API's use case stops it, and the escalation record says who was paged.
import http from 'node:http';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClients } from '../../lib/aws/clients';
import { ssmClient } from '../../lib/aws/ssm-client';
import { EscalationPager } from '../../lib/sns/escalation-pager';
import { DynamoEscalationStore } from '../../lib/sns/escalation-store';
import { SnsNotifier } from '../../lib/sns/sns-notifier';
import { SsmSecrets } from '../../lib/aws/ssm-secrets';
import { DynamoAlertingStore } from '../../lib/store/alerting-store';
import { alertingConfigSchema, incidentKey } from '../../src/alerting';
import { anomalyId, type Anomaly } from '../../src/model';
import { processAlertInput, type AlertDeps } from '../../src/use-cases/alert-notifications';
import { escalateService, type EscalateDeps } from '../../src/use-cases/escalate-incidents';
import { acknowledgeIncidentNow } from '../../src/use-cases/silences-and-acks';
import { aService } from '../support/builders';
import { freePort } from '../support/free-port';
import { freshLocalStack, localAdapters } from '../support/local-aws';

const t0 = Date.parse('2026-03-02T10:00:00.000Z');
const OPENED = new Date(t0).toISOString();
const INCIDENT = incidentKey('web', OPENED);

let server: http.Server;
let base: string;
const received: { path: string; body: { notification?: { headline: string } } }[] = [];

beforeAll(async () => {
  const port = await freePort();
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(text) as never });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function critical(minute: number): Anomaly {
  const at = new Date(t0 + minute * 60_000).toISOString();
  return {
    id: anomalyId('web', 'cpu', at),
    serviceId: 'web',
    metric: 'cpu',
    at,
    value: 97,
    score: 0.95,
    direction: 'up',
    expected: 40,
    lower: 20,
    upper: 60,
    severity: 'critical',
    explanation: 'cpu 97.0 is far above its usual 40.0',
    desiredCount: 2,
  };
}

describe('escalation', () => {
  let clock: { minute: number };
  let alertDeps: AlertDeps;
  let deps: EscalateDeps;
  let store: DynamoAlertingStore;
  let escalations: DynamoEscalationStore;

  beforeEach(async () => {
    received.length = 0;
    const stack = await freshLocalStack();
    const local = localAdapters(stack.endpoint, stack.tableName);
    const config = alertingConfigSchema.parse({});
    const ssm = ssmClient(local.config);
    for (const name of ['primary', 'secondary']) {
      await ssm.send(
        new PutParameterCommand({
          Name: `/vigia/test/notify/${name}`,
          Value: `${base}/${name}`,
          Type: 'SecureString',
          Overwrite: true,
        }),
      );
    }
    const service = aService({
      notifications: {
        routes: [
          { severities: ['critical'], receivers: [{ type: 'email', address: 'a@example.com' }] },
        ],
        escalation: {
          afterMinutes: 10,
          levels: [
            [{ type: 'webhook', urlParameter: '/vigia/test/notify/primary' }],
            [{ type: 'webhook', urlParameter: '/vigia/test/notify/secondary' }],
          ],
        },
      },
    });
    clock = { minute: 0 };
    const now = { now: () => new Date(t0 + clock.minute * 60_000) };
    store = new DynamoAlertingStore(local.table, config);
    escalations = new DynamoEscalationStore(local.table);
    const aws = createClients(local.config);
    alertDeps = {
      clock: now,
      store,
      observations: local.store,
      log: local.store,
      notifier: new SnsNotifier(aws.sns, stack.topicArn, stack.endpoint),
      config,
    };
    deps = {
      clock: now,
      alerting: store,
      registry: { get: async (id) => (id === 'web' ? service : null) },
      escalations,
      pager: new EscalationPager(aws.sns, { secrets: new SsmSecrets(ssm, stack.endpoint) }),
      config,
    };
  });

  /** One alert-timers minute: the escalation pass, as functions/alert-timers.ts runs it. */
  async function minute(m: number) {
    clock.minute = m;
    return (await escalateService(deps, 'web')).map((p) => p.level + 1);
  }

  it('pages the next level every afterMinutes until acknowledged, and records who was paged', async () => {
    await processAlertInput(alertDeps, { kind: 'anomaly', anomaly: critical(0) });

    const timeline: [number, number[]][] = [];
    for (const m of [1, 9, 10, 15, 20, 25, 30]) timeline.push([m, await minute(m)]);
    expect(timeline).toEqual([
      [1, []],
      [9, []],
      [10, [1]],
      [15, []],
      [20, [2]],
      [25, []],
      [30, [2]], // the last level again, until someone answers
    ]);
    expect(received.map((r) => r.path)).toEqual(['/primary', '/secondary', '/secondary']);
    expect(received[0]!.body.notification!.headline).toMatch(/escalated to level 1/);
    // A second timer in the same minute pages nobody twice.
    expect(await minute(30)).toEqual([]);

    clock.minute = 31;
    await acknowledgeIncidentNow(
      { store, newId: () => 'x' },
      INCIDENT,
      { by: 'alice' },
      new Date(t0 + 31 * 60_000),
    );
    expect(await minute(40)).toEqual([]);
    expect(await minute(60)).toEqual([]);
    expect(received).toHaveLength(3);

    const record = await escalations.load('web', INCIDENT);
    expect(record?.pages.map((p) => [p.level + 1, p.receivers])).toEqual([
      [1, ['webhook:/vigia/test/notify/primary']],
      [2, ['webhook:/vigia/test/notify/secondary']],
      [2, ['webhook:/vigia/test/notify/secondary']],
    ]);
  });

  it('never escalates a warning incident', async () => {
    await processAlertInput(alertDeps, {
      kind: 'anomaly',
      anomaly: { ...critical(0), severity: 'warning' },
    });
    expect(await minute(10)).toEqual([]);
    expect(await minute(30)).toEqual([]);
    expect(received).toEqual([]);
  });
});
