// Turns one anomaly into one decision: scale out when a utilisation metric is anomalously high and
// above its target, scale in when it is anomalously low, clamped to the service's min/max tasks,
// then gated by cooldowns, the service's mode and the global switches. Redelivery decides once.
import { NotFoundError } from '../errors';
import { decisionIdFor, type Anomaly, type Decision, type Service } from '../model';
import type { Clock, DecisionStore, ServiceRegistry } from '../ports';

export interface DecideDeps {
  clock: Clock;
  registry: ServiceRegistry;
  decisions: DecisionStore;
}

export interface Switches {
  autoScaling: boolean;
}

export interface ScalingPlan {
  action: Decision['action'];
  fromCount: number | null;
  toCount: number | null;
  reason: string;
}

const COOLDOWN_MINUTES = { 'scale-out': 3, 'scale-in': 10 } as const;
const MINUTE = 60_000;
const UTILISATION_METRICS = ['cpu', 'memory'] as const;

/** Ratio-to-target scaling on one utilisation metric, with step limits and min/max. */
export function planForAnomaly(service: Service, anomaly: Anomaly): ScalingPlan {
  const metric = UTILISATION_METRICS.find((m) => m === anomaly.metric);
  const current = anomaly.desiredCount;
  if (!metric || current === null) {
    return { action: 'notify', fromCount: current, toCount: current, reason: anomaly.explanation };
  }
  const target = service.targets[metric];
  const ratio = anomaly.value / target;
  const pct = `${metric} ${anomaly.value.toFixed(0)}% vs target ${target}%`;
  if (anomaly.direction === 'up' && ratio > 1) {
    const stepLimit = Math.max(current * 2, current + 4);
    const wanted = Math.max(current + 1, Math.ceil(current * ratio));
    const toCount = Math.min(service.maxTasks, stepLimit, wanted);
    if (toCount <= current) {
      return {
        action: 'notify',
        fromCount: current,
        toCount: current,
        reason: `${pct}, already at max ${service.maxTasks} tasks`,
      };
    }
    return {
      action: 'scale-out',
      fromCount: current,
      toCount,
      reason: `${pct}: scale out ${current} → ${toCount}`,
    };
  }
  if (anomaly.direction === 'down' && ratio < 0.5) {
    const floorByStep = Math.ceil(current / 2);
    const toCount = Math.max(service.minTasks, floorByStep, Math.ceil(current * ratio));
    if (toCount >= current) {
      return {
        action: 'notify',
        fromCount: current,
        toCount: current,
        reason: `${pct}, already at min ${service.minTasks} tasks`,
      };
    }
    return {
      action: 'scale-in',
      fromCount: current,
      toCount,
      reason: `${pct}: scale in ${current} → ${toCount}`,
    };
  }
  return {
    action: 'notify',
    fromCount: current,
    toCount: current,
    reason: `${pct}: no scaling needed`,
  };
}

export async function decideOnAnomaly(
  deps: DecideDeps,
  anomaly: Anomaly,
  switches: Switches,
): Promise<{ decision: Decision; created: boolean }> {
  const service = await deps.registry.get(anomaly.serviceId);
  if (!service)
    throw new NotFoundError(`service '${anomaly.serviceId}' (from anomaly ${anomaly.id})`);

  const plan = planForAnomaly(service, anomaly);
  const base: Decision = {
    id: decisionIdFor(anomaly.id),
    serviceId: service.id,
    anomalyId: anomaly.id,
    at: anomaly.at,
    action: plan.action,
    fromCount: plan.fromCount,
    toCount: plan.toCount,
    reason: plan.reason,
    mode: service.mode,
    status: 'skipped',
    requestedBy: 'vigia:decide',
    result: null,
  };
  const decision = await gate(deps, service, base, switches);
  const created = await deps.decisions.putDecision(decision, deps.clock.now());
  return { decision, created };
}

async function gate(
  deps: DecideDeps,
  service: Service,
  d: Decision,
  switches: Switches,
): Promise<Decision> {
  if (d.action !== 'scale-out' && d.action !== 'scale-in') return { ...d, result: 'notify only' };
  const cooldown = COOLDOWN_MINUTES[d.action];
  const since = new Date(new Date(d.at).getTime() - cooldown * MINUTE);
  const recent = (await deps.decisions.decisionsSince(service.id, since)).filter(
    (r) =>
      r.id !== d.id &&
      r.at <= d.at &&
      (r.action === 'scale-out' || r.action === 'scale-in') &&
      ['proposed', 'approved', 'executing', 'executed'].includes(r.status),
  );
  if (recent.length > 0) {
    const last = recent[recent.length - 1]!;
    return {
      ...d,
      result: `cooldown: ${last.action} ${last.fromCount} → ${last.toCount} at ${last.at}`,
    };
  }
  if (service.mode === 'off') return { ...d, result: 'autopilot is off for this service' };
  if (service.mode === 'dry-run')
    return { ...d, result: `dry-run: would ${d.action} ${d.fromCount} → ${d.toCount}` };
  if (!switches.autoScaling) return { ...d, result: 'AUTO_SCALING_ENABLED is false' };
  if (service.mode === 'approve')
    return { ...d, status: 'proposed', result: 'waiting for approval' };
  return { ...d, status: 'approved' };
}
