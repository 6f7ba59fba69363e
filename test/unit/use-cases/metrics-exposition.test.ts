// What a Prometheus scraping GET /metrics learns: the fleet's own gauges and, per service, its latest
// values, tasks, health score and open incidents — from the table's answers, rendered as text.
import { describe, expect, it } from 'vitest';
import type { Anomaly, Sample } from '../../../src/model';
import type { CollectorHeartbeat } from '../../../src/ports';
import { metricsExposition, type ExpositionPorts } from '../../../src/use-cases/metrics-exposition';
import { renderExposition } from '../../../src/use-cases/prometheus-text';
import { aDecision, aSample, aService, anAnomaly, anEcsState } from '../../support/builders';

const now = new Date('2026-11-22T10:01:30.000Z');

function ports(o: {
  samples?: Record<string, Sample>;
  anomalies?: Anomaly[];
  incidents?: Record<string, number>;
  decisions?: Record<string, unknown>[];
  heartbeat?: CollectorHeartbeat | null;
  queue?: number | null;
}): ExpositionPorts {
  return {
    services: async () => [aService({ id: 'web' }), aService({ id: 'api', name: 'API' })],
    latestSample: async (id) => o.samples?.[id] ?? null,
    anomaliesSince: async (id, since) =>
      (o.anomalies ?? []).filter((a) => a.serviceId === id && a.at >= since.toISOString()),
    openIncidentCount: async (id) => o.incidents?.[id] ?? 0,
    decisionsSince: async () => o.decisions ?? [],
    lastCollectorRun: async () => o.heartbeat ?? null,
    failureQueueDepth: async () => o.queue ?? null,
  };
}

const heartbeat: CollectorHeartbeat = {
  ranAt: '2026-11-22T10:01:05.000Z',
  tickAt: '2026-11-22T10:01:00.000Z',
  services: 2,
  series: 4,
  anomalies: 1,
  failures: 0,
  durationMs: 2500,
};

async function scrape(p: ExpositionPorts): Promise<string[]> {
  return renderExposition(await metricsExposition(p, now)).split('\n');
}

describe('GET /metrics exposition', () => {
  it("exposes each service's latest values, tasks, health score and open incidents", async () => {
    const lines = await scrape(
      ports({
        samples: {
          web: aSample({
            at: '2026-11-22T10:00:00.000Z',
            metrics: { cpu: 91.5, memory: 40, requests: null },
            ecs: anEcsState({ desiredCount: 3, runningCount: 2, pendingCount: 1 }),
          }),
        },
        anomalies: [anAnomaly({ at: '2026-11-22T10:00:00.000Z', score: 0.9 })],
        incidents: { web: 1 },
        heartbeat,
      }),
    );

    expect(lines).toEqual(
      expect.arrayContaining([
        'vigia_service_metric{service="web",metric="cpu"} 91.5',
        'vigia_service_metric{service="web",metric="memory"} 40',
        'vigia_service_sample_timestamp_seconds{service="web"} 1795341600',
        'vigia_service_tasks{service="web",state="desired"} 3',
        'vigia_service_tasks{service="web",state="running"} 2',
        'vigia_service_tasks{service="web",state="pending"} 1',
        // A critical anomaly with tasks running: the bottom of degraded, as /status says.
        'vigia_service_health_score{service="web"} 40',
        'vigia_service_health_score{service="api"} 100',
        'vigia_service_open_incidents{service="web"} 1',
        'vigia_service_open_incidents{service="api"} 0',
        'vigia_service_anomalies_last_hour{service="web"} 1',
        'vigia_open_incidents 1',
        'vigia_services 2',
      ]),
    );
    // a metric without a value this minute is absent, not zero
    expect(lines.some((l) => l.includes('metric="requests"'))).toBe(false);
    expect(lines.some((l) => l.startsWith('vigia_service_metric{service="api"'))).toBe(false);
  });

  it("exposes vigia's own state: decisions by status, actions by kind, the last tick, the failure queue", async () => {
    const lines = await scrape(
      ports({
        decisions: [
          aDecision({ status: 'executed', action: 'scale-out' }),
          aDecision({ status: 'executed', action: 'scale-out' }),
          aDecision({ status: 'executed', action: 'restart' }),
          aDecision({ status: 'proposed', action: 'scale-in' }),
          aDecision({ status: 'failed', action: 'rollback' }),
        ],
        heartbeat,
        queue: 4,
        anomalies: [
          anAnomaly({ serviceId: 'api', at: '2026-11-22T09:30:00.000Z' }),
          anAnomaly({ serviceId: 'api', at: '2026-11-22T08:30:00.000Z' }), // over an hour ago
        ],
      }),
    );

    expect(lines).toEqual(
      expect.arrayContaining([
        'vigia_decisions_last_day{status="executed"} 3',
        'vigia_decisions_last_day{status="failed"} 1',
        'vigia_decisions_last_day{status="proposed"} 1',
        'vigia_actions_last_day{action="restart"} 1',
        'vigia_actions_last_day{action="scale-out"} 2',
        'vigia_collect_last_run_age_seconds 25',
        'vigia_collect_last_run_duration_seconds 2.5',
        'vigia_collect_last_run_failures 0',
        'vigia_failure_queue_messages 4',
        'vigia_anomalies_last_hour 1',
      ]),
    );
    expect(lines.filter((l) => l.startsWith('vigia_actions_last_day'))).toHaveLength(2);
    expect(lines).toContain('# TYPE vigia_decisions_last_day gauge');
  });

  it('leaves out what it cannot know: no tick yet, no failure queue', async () => {
    const lines = await scrape(ports({}));

    expect(lines.some((l) => l.startsWith('vigia_collect_'))).toBe(false);
    expect(lines.some((l) => l.startsWith('vigia_failure_queue'))).toBe(false);
    expect(lines).toContain('vigia_services 2');
  });
});

describe('health score as /status computes it', () => {
  const health = (lines: string[], id: string) =>
    lines.find((l) => l.startsWith(`vigia_service_health_score{service="${id}"}`));

  it('judges each series by its latest recent anomaly, the tasks and the open incidents', async () => {
    const old = anAnomaly({ at: '2026-11-22T09:40:00.000Z', score: 1 });
    const warning = anAnomaly({
      serviceId: 'api',
      metric: 'latency_p95',
      at: '2026-11-22T09:58:00.000Z',
      severity: 'warning',
      score: 0.5,
    });
    const lines = await scrape(ports({ anomalies: [old, warning], heartbeat }));

    expect(health(lines, 'web')).toBe('vigia_service_health_score{service="web"} 100');
    expect(health(lines, 'api')).toBe('vigia_service_health_score{service="api"} 57');
    const down = await scrape(
      ports({
        samples: { web: aSample({ ecs: anEcsState({ desiredCount: 2, runningCount: 0 }) }) },
        incidents: { api: 1 },
        heartbeat,
      }),
    );
    expect(health(down, 'web')).toBe('vigia_service_health_score{service="web"} 0');
    expect(health(down, 'api')).toBe('vigia_service_health_score{service="api"} 79');
  });
});
