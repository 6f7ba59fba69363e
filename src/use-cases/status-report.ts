// Per-service state for the public status endpoint (SPEC A2): operational, degraded or outage.
import type { Anomaly, Sample, Service } from '../model';

export type ServiceState = 'operational' | 'degraded' | 'outage';

export interface ServiceStatus {
  id: string;
  name: string;
  state: ServiceState;
  since: string | null;
  tasks: { desired: number; running: number } | null;
  metrics: Record<string, number | null>;
  openAnomalies: { metric: string; severity: string; at: string; explanation: string }[];
}

export function serviceStatus(
  service: Service,
  latest: Sample | null,
  recentAnomalies: Anomaly[],
): ServiceStatus {
  const ecs = latest?.ecs ?? null;
  const critical = recentAnomalies.some((a) => a.severity === 'critical');
  const noTasks = ecs !== null && ecs.desiredCount > 0 && ecs.runningCount === 0;
  const state: ServiceState = noTasks
    ? 'outage'
    : critical || recentAnomalies.length > 0
      ? 'degraded'
      : 'operational';
  return {
    id: service.id,
    name: service.name,
    state,
    since: recentAnomalies[0]?.at ?? null,
    tasks: ecs ? { desired: ecs.desiredCount, running: ecs.runningCount } : null,
    metrics: latest?.metrics ?? {},
    openAnomalies: recentAnomalies.map((a) => ({
      metric: a.metric,
      severity: a.severity,
      at: a.at,
      explanation: a.explanation,
    })),
  };
}

export function overallState(services: ServiceStatus[]): ServiceState {
  if (services.some((s) => s.state === 'outage')) return 'outage';
  if (services.some((s) => s.state === 'degraded')) return 'degraded';
  return 'operational';
}
