// Operator actions from the API (SPEC A4, X4): a manual scale, restart or recovery check becomes an
// approved decision item, so the same scale consumer, guardrails and audit trail handle it. The
// decision, its audit entry and the Idempotency-Key claim are written together, so a retried
// request acts once and an action never lacks its audit entry.
import {
  ConflictError,
  IdempotencyKeyReusedError,
  NotFoundError,
  ValidationError,
} from '../errors';
import { decisionIdFor, type Anomaly, type Decision, type Sample, type Service } from '../model';
import type { IdempotencyClaim, ManualActionPorts, OperatorRequest } from '../ports';
import { operatorAuditEntry } from './operator-audit';

export type ManualAction =
  { type: 'scale'; desiredCount: number } | { type: 'restart' } | { type: 'recover' };

export interface RecoveryCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface RecoveryPlan {
  checks: RecoveryCheck[];
  /** What to do about the failing checks; null when everything passed. */
  remedy: { action: 'restart' | 'scale-out'; toCount: number | null; reason: string } | null;
}

const STALE_SAMPLE_MS = 5 * 60_000;

/** Runs every check a service has against its latest sample and open anomalies, and picks a remedy. */
export function recoveryPlan(
  service: Service,
  latest: Sample | null,
  openAnomalies: Anomaly[],
  now: Date,
): RecoveryPlan {
  const checks: RecoveryCheck[] = [];
  const ageMs = latest ? now.getTime() - new Date(latest.at).getTime() : null;
  checks.push({
    name: 'fresh data',
    ok: ageMs !== null && ageMs <= STALE_SAMPLE_MS,
    detail: ageMs === null ? 'no sample yet' : `last sample ${Math.round(ageMs / 1000)} s ago`,
  });
  const ecs = latest?.ecs ?? null;
  const tasksOk = ecs === null || ecs.runningCount >= Math.min(ecs.desiredCount, service.minTasks);
  checks.push({
    name: 'tasks running',
    ok: tasksOk,
    detail: ecs ? `${ecs.runningCount} of ${ecs.desiredCount} running` : 'ECS state unknown',
  });
  const ratios: number[] = [];
  for (const [metric, target] of [
    ['cpu', service.targets.cpu],
    ['memory', service.targets.memory],
  ] as const) {
    const value = latest?.metrics[metric] ?? null;
    const ok = value === null || value <= target;
    if (value !== null) ratios.push(value / target);
    checks.push({
      name: `${metric} under target`,
      ok,
      detail: value === null ? 'no datapoint' : `${round(value)}% (target ${target}%)`,
    });
  }
  const critical = openAnomalies.filter((a) => a.severity === 'critical');
  checks.push({
    name: 'no critical anomalies',
    ok: critical.length === 0,
    detail: critical.length ? critical.map((a) => a.explanation).join('; ') : 'none open',
  });

  let remedy: RecoveryPlan['remedy'] = null;
  if (!tasksOk) {
    remedy = { action: 'restart', toCount: null, reason: 'tasks are not running: restart' };
  } else if (ecs && ratios.some((r) => r > 1) && ecs.desiredCount < service.maxTasks) {
    const want = Math.ceil(Math.max(1, ecs.desiredCount) * Math.max(...ratios));
    const toCount = Math.min(service.maxTasks, Math.max(ecs.desiredCount + 1, want));
    remedy = {
      action: 'scale-out',
      toCount,
      reason: `utilisation above target: scale ${ecs.desiredCount} → ${toCount}`,
    };
  } else if (critical.length > 0) {
    remedy = { action: 'restart', toCount: null, reason: 'critical anomalies open: restart' };
  }
  return { checks, remedy };
}

function round(n: number) {
  return Math.round(n * 10) / 10;
}

export interface ManualDecisionInput {
  service: Service;
  requestedBy: string;
  /** Makes the id: the same key twice gives the same decision, so a retried request acts once. */
  requestKey: string;
  now: Date;
  currentCount: number | null;
  action: Decision['action'];
  toCount: number | null;
  reason: string;
}

/** An approved decision for the scale consumer; its id sorts by time like automatic ones. */
export function manualDecision(input: ManualDecisionInput): Decision {
  const at = input.now.toISOString();
  const key = input.requestKey.replace(/[^A-Za-z0-9-]/g, '').slice(0, 40) || 'request';
  const anomalyId = `${input.service.id}~${at}~manual-${key}`;
  return {
    id: decisionIdFor(anomalyId),
    serviceId: input.service.id,
    anomalyId,
    at,
    action: input.action,
    fromCount: input.currentCount,
    toCount: input.toCount,
    reason: input.reason,
    mode: input.service.mode,
    status: 'approved',
    requestedBy: input.requestedBy,
    target: { ...input.service.ecs },
    result: null,
  };
}

/** A manual scale to N: scale-out or scale-in by where N lies from the current count. */
export function scaleActionFor(currentCount: number | null, desiredCount: number) {
  return currentCount !== null && desiredCount < currentCount ? 'scale-in' : 'scale-out';
}

/** Guardrail on a manual scale: inside the service's own min/max, or a message saying why not. */
export function scaleOutOfBounds(service: Service, desiredCount: number): string | null {
  if (desiredCount < service.minTasks || desiredCount > service.maxTasks) {
    return `must be between minTasks ${service.minTasks} and maxTasks ${service.maxTasks} of service '${service.id}'`;
  }
  return null;
}

/** A recovery check looks at anomalies opened in this window. */
const OPEN_ANOMALY_WINDOW_MS = 15 * 60_000;

export interface ManualActionRequest extends OperatorRequest {
  serviceId: string;
  action: ManualAction;
  claim: IdempotencyClaim | null;
}

export type ManualActionResult =
  /** created: false when a repeated Idempotency-Key answered with the first request's decision. */
  | { kind: 'recorded'; decision: Decision; created: boolean; checks: RecoveryCheck[] | null }
  /** A recovery check found nothing to do; only its audit entry was written. */
  | { kind: 'healthy'; checks: RecoveryCheck[] };

/** Runs one manual action: NotFoundError, ValidationError (out of bounds) or a recorded decision. */
export async function requestManualAction(
  ports: ManualActionPorts,
  req: ManualActionRequest,
): Promise<ManualActionResult> {
  const service = await ports.services.get(req.serviceId);
  if (!service) throw new NotFoundError(`service '${req.serviceId}'`);
  const latest = await ports.observations.latestSample(service.id);
  const { action } = req;
  if (action.type === 'scale') {
    const bad = scaleOutOfBounds(service, action.desiredCount);
    if (bad) {
      throw new ValidationError(`request is invalid: body.desiredCount: ${bad}`, [
        { path: 'body.desiredCount', message: bad },
      ]);
    }
  }
  // Scale and restart start from what ECS runs now; a recovery check judges the last sample.
  const current =
    action.type === 'recover'
      ? { count: latest?.ecs?.desiredCount ?? null, note: '' }
      : await currentCount(ports, service, latest);
  const fromCount = current.count;
  const base = {
    service,
    requestedBy: req.requestedBy,
    requestKey: req.requestId,
    now: req.now,
    currentCount: fromCount,
  };
  if (action.type === 'scale') {
    const d = manualDecision({
      ...base,
      action: scaleActionFor(fromCount, action.desiredCount),
      toCount: action.desiredCount,
      reason: `manual scale to ${action.desiredCount} tasks${current.note}`,
    });
    const detail = `scale ${fromCount ?? '?'} → ${action.desiredCount}`;
    return { kind: 'recorded', ...(await record(ports, d, 'scale', detail, req)), checks: null };
  }
  if (action.type === 'restart') {
    const d = manualDecision({
      ...base,
      action: 'restart',
      toCount: null,
      reason: `manual restart${current.note}`,
    });
    const recorded = await record(ports, d, 'restart', 'restart (new deployment)', req);
    return { kind: 'recorded', ...recorded, checks: null };
  }
  const anomalies = await ports.observations.anomaliesSince(
    service.id,
    new Date(req.now.getTime() - OPEN_ANOMALY_WINDOW_MS),
  );
  const plan = recoveryPlan(service, latest, anomalies, req.now);
  if (!plan.remedy) {
    await ports.audit.record(
      operatorAuditEntry(req, {
        serviceId: service.id,
        type: 'recover',
        detail: 'recovery check: every check passed',
        decisionId: null,
      }),
    );
    return { kind: 'healthy', checks: plan.checks };
  }
  const d = manualDecision({
    ...base,
    action: plan.remedy.action,
    toCount: plan.remedy.toCount,
    reason: `recovery check: ${plan.remedy.reason}`,
  });
  const recorded = await record(ports, d, 'recover', plan.remedy.reason, req);
  return { kind: 'recorded', ...recorded, checks: plan.checks };
}

/**
 * ECS's desired count now. The last sample can be a minute old or predate another scale, which
 * would record a scale-in as a scale-out; it is used only when ECS cannot answer, and the note
 * (appended to the decision's reason) says so.
 */
async function currentCount(
  ports: ManualActionPorts,
  service: Service,
  latest: Sample | null,
): Promise<{ count: number | null; note: string }> {
  let why: string;
  try {
    const state = (await ports.ecs.describe([service])).get(service.id) ?? null;
    if (state) return { count: state.desiredCount, note: '' };
    why = 'ECS does not know the service';
  } catch {
    why = 'ECS could not be read';
  }
  const count = latest?.ecs?.desiredCount ?? null;
  return { count, note: ` (from ${count ?? '?'} per the last sample: ${why})` };
}

/** The decision and its audit entry in one transaction; a repeated key answers with the first. */
async function record(
  ports: ManualActionPorts,
  decision: Decision,
  type: string,
  detail: string,
  req: ManualActionRequest,
): Promise<{ decision: Decision; created: boolean }> {
  const audit = operatorAuditEntry(req, {
    serviceId: decision.serviceId,
    type,
    detail,
    decisionId: decision.id,
  });
  let out = await ports.ledger.record(decision, audit, req.claim, req.now);
  // A transaction that lost a race with no winner stored: the same writes again, a few times.
  for (let retry = 1; out.kind === 'conflict' && retry < RECORD_ATTEMPTS; retry++) {
    out = await ports.ledger.record(decision, audit, req.claim, req.now);
  }
  if (out.kind === 'key-reused') throw new IdempotencyKeyReusedError(req.claim?.key ?? '');
  if (out.kind === 'conflict') throw inProgress(req);
  if (out.kind === 'created') {
    const stored = await ports.decisions.getDecision(decision.serviceId, decision.id);
    return { decision: stored ?? decision, created: true };
  }
  // Answer a repeat only with a decision that is really stored (never this request's own, unstored).
  const stored = await ports.decisions.getDecision(decision.serviceId, out.decisionId);
  if (!stored) throw inProgress(req);
  return { decision: stored, created: false };
}

const RECORD_ATTEMPTS = 3;

function inProgress(req: ManualActionRequest): ConflictError {
  return new ConflictError(
    req.claim
      ? `another request with Idempotency-Key '${req.claim.key}' is in progress: retry`
      : 'the action could not be recorded while another write was in progress: retry',
  );
}
