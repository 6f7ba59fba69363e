// Executes an approved decision exactly once: claim it (approved → executing) with a conditional
// write, act on ECS (desired count, new deployment, rollback, or nothing for notify), then record
// executed | failed | skipped together with the audit record, state before and after. A second
// delivery finds it claimed and does nothing. A claim that never finished (the scaler died, or could
// not record its result) is taken over once stale — by a redelivery or by the sweep that runs every
// minute — and an action that already reached ECS is recorded, not repeated. A team's runbook
// (SPEC X7) runs under the same claim, gate and audit; it carries the decision id as its
// idempotency key, so a takeover that runs it again is recognised by the runbook's receiver.
// Decisions of one service reach ECS in the order they were made: one waits while an earlier one
// acting on the same thing is still mid-attempt, and one that a later decision has overtaken is
// skipped — so an attempt whose outcome is unknown cannot land after, and undo, a later change.
import { incidentKey } from '../alerting/incident';
import { gateDecision, overtakenBy, type GlobalSwitches } from '../decision';
import {
  runbookNameOf,
  type Decision,
  type RunbookContext,
  type Service,
  type ServiceSnapshot,
} from '../model';
import type {
  Clock,
  DecisionLedger,
  DecisionStore,
  RunbookRunner,
  ServiceActuator,
  ServiceRegistry,
  Telemetry,
} from '../ports';
import { isCircuitOpen } from '../resilience/circuit-breaker';
import { isOutcomeUnknown, OutcomeUnknownError } from '../errors';

export interface ExecuteDeps {
  clock: Clock;
  registry: ServiceRegistry;
  /**
   * `decisionsSince`: the service's other decisions, to keep their order on ECS; `releaseClaim`
   * hands back a claim that has to wait for an earlier decision.
   */
  decisions: Pick<DecisionStore, 'claimDecision' | 'decisionsSince' | 'releaseClaim'>;
  ledger: Pick<DecisionLedger, 'completeDecision'>;
  scaler: ServiceActuator;
  /** SSM Automation, Lambda and HTTPS runbooks; without it a runbook decision fails, saying so. */
  runbooks?: RunbookRunner;
  telemetry?: Telemetry;
}

/**
 * A claim older than this belongs to a scaler that is gone: the scale function's timeout (30 s) is
 * far shorter, so no live invocation still holds it.
 */
export const STALE_CLAIM_MS = 2 * 60_000;

/**
 * How far back an unfinished decision still counts: the sweep finishes those made within it, and a
 * later decision of the service waits for them (an older one is never finished, so never waited on).
 */
export const UNFINISHED_HORIZON_MS = 24 * 60 * 60_000;

/**
 * `held`: ECS's circuit breaker is open, or the change got no answer (it may have landed); the claim
 * stays and goes stale, and the sweep's takeover reads ECS before acting again. `waiting`: an
 * earlier decision of the service, acting on the same thing, is still mid-attempt; this one is left
 * (or put back) `approved`, and the sweep carries it out once the earlier one is finished.
 */
export type ExecutionOutcome =
  'executed' | 'failed' | 'skipped' | 'already-handled' | 'held' | 'waiting';

type Finished = { status: 'executed' | 'failed' | 'skipped'; result: string };

export async function executeDecision(
  deps: ExecuteDeps,
  decision: Decision,
  switches: GlobalSwitches,
): Promise<ExecutionOutcome> {
  // Not even claimed while an earlier one is mid-attempt: a redelivered record waits without a write.
  if (ORDERED_ACTIONS.has(decision.action)) {
    const { earlier } = orderAmong(decision, await othersOf(deps, decision));
    if (earlier) {
      deps.telemetry?.count('Executions', 1, { outcome: 'waiting' });
      return 'waiting';
    }
  }
  const now = deps.clock.now();
  const claim = await deps.decisions.claimDecision(
    decision.serviceId,
    decision.id,
    now,
    new Date(now.getTime() - STALE_CLAIM_MS),
  );
  if (!claim) return 'already-handled';
  const claimed = claim.decision;

  const snapshots: { before: ServiceSnapshot | null; after: ServiceSnapshot | null } = {
    before: null,
    after: null,
  };
  let finished: Finished | 'waiting';
  try {
    finished = await carryOut(deps, claimed, claim.interruptedClaimAt, switches, snapshots);
  } catch (err) {
    // Nothing reached ECS, or we cannot know whether it did: hold the action rather than record a
    // failure that may be false (or resend a change that may have landed).
    if (isCircuitOpen(err) || isOutcomeUnknown(err)) {
      deps.telemetry?.count('Executions', 1, { outcome: 'held' });
      return 'held';
    }
    throw err;
  }
  if (finished === 'waiting') {
    // Claimed in the same moment as an earlier decision: handed back untouched, for the sweep (or
    // this record's redelivery) once the earlier one is done. A takeover keeps its claim: its
    // interrupted attempt may have reached ECS, and only a takeover checks that before acting.
    if (claim.interruptedClaimAt === null) {
      await deps.decisions.releaseClaim(claimed.serviceId, claimed.id, now);
    }
    deps.telemetry?.count('Executions', 1, { outcome: 'waiting' });
    return claim.interruptedClaimAt === null ? 'waiting' : 'held';
  }
  // Recording is outside carryOut's error handling on purpose: a failure to record must not be
  // written down as a failed action (ECS may have changed). It fails the record instead; the
  // redelivery or the sweep takes the stale claim over and records what ECS shows.
  await deps.ledger.completeDecision({
    decision: claimed,
    status: finished.status,
    result: finished.result,
    finishedAt: deps.clock.now(),
    before: snapshots.before,
    after: snapshots.after,
  });
  deps.telemetry?.count('Executions', 1, { outcome: finished.status });
  return finished.status;
}

async function carryOut(
  deps: ExecuteDeps,
  claimed: Decision,
  interruptedClaimAt: string | null,
  switches: GlobalSwitches,
  snapshots: { before: ServiceSnapshot | null; after: ServiceSnapshot | null },
): Promise<Finished | 'waiting'> {
  const service = await deps.registry.get(claimed.serviceId);
  if (!service) return { status: 'failed', result: `unknown service '${claimed.serviceId}'` };
  const repointed = repointedFrom(claimed, service);
  if (repointed) return { status: 'skipped', result: repointed };

  // The autopilot's own decisions obey the mode and switches as they are now, not as they were
  // when decided: an operator who turns the service off mid-way is heard. Operators' requests and
  // approvals are theirs to make.
  if (claimed.requestedBy.startsWith('vigia:')) {
    const gate = gateDecision(claimed.action, service.mode, switches);
    if (gate.status === 'skipped') return { status: 'skipped', result: gate.reason };
  }
  if (claimed.action === 'notify') return { status: 'executed', result: 'notified' };
  const runbook = runbookNameOf(claimed.action);
  if (runbook !== null) return runRunbook(deps, service, claimed, runbook, snapshots);

  try {
    snapshots.before = await deps.scaler.snapshot(service).catch((err: unknown) => {
      // After an interrupted attempt that may have changed ECS, not reading ECS is no verdict: a
      // "failed" would be false if it landed (and the next decision's audit would contradict it).
      // Held instead; the next sweep reads ECS again.
      if (interruptedClaimAt === null || isCircuitOpen(err) || isOutcomeUnknown(err)) throw err;
      throw new OutcomeUnknownError(
        `ECS could not be read after the attempt at ${interruptedClaimAt}, which may have applied it: ${(err as Error).message}`,
        err,
      );
    });
    if (interruptedClaimAt !== null) {
      const done = alreadyApplied(claimed, snapshots.before, interruptedClaimAt);
      if (done) {
        // What ECS shows now is the state after this decision's own change: recorded as `after`.
        // The state before it was never read, so the audit claims none (it said "3 → 3" for a
        // scale-in 4 → 3, contradicting the previous decision's "after"; bench:soak seed 23), and
        // an undo falls back to the counts the decision was made on.
        snapshots.after = snapshots.before;
        snapshots.before = null;
        return { status: 'executed', result: done };
      }
    }
    // Read after the claim, which the other decisions' own checks see: of two claimed at once, the
    // older finds the newer and steps aside, the newer finds the older and waits.
    const order = orderAmong(
      claimed,
      await othersOf(deps, claimed).catch((err: unknown) => {
        throw new OutcomeUnknownError(
          `the other decisions of '${claimed.serviceId}' could not be read: ${(err as Error).message}`,
          err,
        );
      }),
    );
    if (order.later) {
      // A later decision of the service acted, or is mid-attempt (its change may have landed, and
      // its own takeover will make sure of it): sending this older change now would undo it (an
      // operator's "2" then "4" ending at 2).
      const later = order.later;
      const attempt =
        interruptedClaimAt === null
          ? 'not sent'
          : `the attempt at ${interruptedClaimAt} got no answer from ECS and may have applied it`;
      return {
        status: 'skipped',
        result: `${SUPERSEDED} ${later.id} (${later.action}, ${later.status === 'executed' ? `executed ${later.finishedAt}` : `attempted ${later.claimedAt}`}); ${attempt}`,
      };
    }
    if (order.earlier) return 'waiting';
    const overtaken = overtakenBy(claimed, snapshots.before);
    if (overtaken) return { status: 'skipped', result: overtaken };
    // The loop's latency: from the anomaly's minute (the decision's `at`) to the call to ECS.
    deps.telemetry?.timing(
      'AnomalyToActionLatency',
      deps.clock.now().getTime() - Date.parse(claimed.at),
    );
    const result = await act(deps.scaler, service, claimed);
    deps.telemetry?.count('Actions', 1, { action: claimed.action });
    snapshots.after = await deps.scaler.snapshot(service).catch(() => null);
    return { status: 'executed', result };
  } catch (err) {
    if (isCircuitOpen(err) || isOutcomeUnknown(err)) throw err;
    return { status: 'failed', result: (err as Error).message };
  }
}

/**
 * A runbook does not act through ECS: the snapshots are taken for the audit trail only, and a
 * failure to read ECS leaves them empty rather than holding the runbook.
 */
async function runRunbook(
  deps: ExecuteDeps,
  service: Service,
  claimed: Decision,
  name: string,
  snapshots: { before: ServiceSnapshot | null; after: ServiceSnapshot | null },
): Promise<Finished> {
  const runbook = service.runbooks[name];
  if (!runbook) {
    return {
      status: 'failed',
      result: `runbook '${name}' is not declared by service '${service.id}'`,
    };
  }
  if (!deps.runbooks)
    return { status: 'failed', result: 'runbooks are not available to this function' };
  snapshots.before = await deps.scaler.snapshot(service).catch(() => null);
  deps.telemetry?.timing(
    'AnomalyToActionLatency',
    deps.clock.now().getTime() - Date.parse(claimed.at),
  );
  let result: string;
  try {
    result = await deps.runbooks.run(name, runbook, runbookContext(claimed, service));
  } catch (err) {
    if (isOutcomeUnknown(err)) throw err;
    return { status: 'failed', result: `runbook '${name}' failed: ${(err as Error).message}` };
  }
  deps.telemetry?.count('Actions', 1, { action: 'runbook' });
  snapshots.after = await deps.scaler.snapshot(service).catch(() => null);
  return { status: 'executed', result };
}

/** What a runbook's templates and payload see of the decision it runs for. */
export function runbookContext(d: Decision, service: Service): RunbookContext {
  const trigger = d.trigger?.[0];
  return {
    serviceId: d.serviceId,
    decisionId: d.id,
    // The LLM step names the incident exactly; otherwise the incident this anomaly opened.
    incidentId: d.llm?.incidentId ?? incidentKey(d.serviceId, d.at),
    anomalyId: d.anomalyId,
    action: d.action,
    metric: trigger?.metric ?? null,
    value: trigger?.value ?? null,
    diagnosis: d.diagnosis ?? null,
    reason: d.reason,
    requestedBy: d.requestedBy,
    cluster: service.ecs.cluster,
    ecsService: service.ecs.service,
  };
}

/**
 * A decision acts only on the ECS service it was made for: after an operator re-points the vigia
 * service, its metrics and counts described another service. Older decisions carry no target.
 */
function repointedFrom(claimed: Decision, service: Service): string | null {
  const was = claimed.target;
  if (!was || (was.cluster === service.ecs.cluster && was.service === service.ecs.service)) {
    return null;
  }
  return `service '${service.id}' was re-pointed from ECS ${was.cluster}/${was.service} to ${service.ecs.cluster}/${service.ecs.service} after this decision; not carried out`;
}

/** How a takeover's result starts when a later decision acted first (the soak counts on it). */
export const SUPERSEDED = 'superseded by decision';

const COUNT_ACTIONS = new Set(['scale-out', 'scale-in']);
const DEPLOYMENT_ACTIONS = new Set(['restart', 'rollback']);

/** Whether `later` acts on what `d` acts on: the desired count, or the running deployment. */
function sameEffect(d: Decision['action'], later: Decision['action']): boolean {
  return (
    (COUNT_ACTIONS.has(d) && COUNT_ACTIONS.has(later)) ||
    (DEPLOYMENT_ACTIONS.has(d) && DEPLOYMENT_ACTIONS.has(later))
  );
}

/** The actions whose order on ECS matters: each sets what the next one reads and changes. */
const ORDERED_ACTIONS = new Set([...COUNT_ACTIONS, ...DEPLOYMENT_ACTIONS]);

/** The service's decisions made within the unfinished horizon before this one, and since. */
function othersOf(deps: ExecuteDeps, d: Decision): Promise<Decision[]> {
  return deps.decisions.decisionsSince(
    d.serviceId,
    new Date(Date.parse(d.at) - UNFINISHED_HORIZON_MS),
  );
}

/** Decisions are ordered by when they were made; two of the same minute by their ids. */
function madeBefore(a: Pick<Decision, 'at' | 'id'>, b: Pick<Decision, 'at' | 'id'>): boolean {
  return a.at < b.at || (a.at === b.at && a.id < b.id);
}

/**
 * Where a decision stands among the service's others acting on the same thing: `later`, one made
 * after it that has acted or is mid-attempt (the newer intent stands); `earlier`, one made before it
 * that is still mid-attempt (its change may land at any moment, so this one waits for its outcome).
 */
export function orderAmong(
  d: Decision,
  others: Decision[],
): { later: Decision | null; earlier: Decision | null } {
  const related = others.filter((o) => o.id !== d.id && sameEffect(d.action, o.action));
  return {
    later:
      related.find(
        (o) => madeBefore(d, o) && (o.status === 'executed' || o.status === 'executing'),
      ) ?? null,
    earlier: related.find((o) => madeBefore(o, d) && o.status === 'executing') ?? null,
  };
}

/**
 * What ECS shows of an action whose attempt was interrupted after it may have reached ECS: the
 * count it asked for, or a deployment begun since that attempt. Null when it has to be done.
 */
export function alreadyApplied(
  d: Pick<Decision, 'action' | 'toCount' | 'targetTaskDefinition'>,
  now: ServiceSnapshot,
  interruptedClaimAt: string,
): string | null {
  // ECS shows the change, but not whose it is: the interrupted attempt's own, or another change
  // (an operator, another decision) that reached the same state. Either way it is not sent again.
  const note = 'already on ECS after an interrupted attempt, not sent again';
  switch (d.action) {
    case 'scale-out':
    case 'scale-in':
      return d.toCount !== null && now.desiredCount === d.toCount
        ? `desired count ${d.toCount} (${note})`
        : null;
    case 'restart':
      return now.lastDeploymentAt && now.lastDeploymentAt >= interruptedClaimAt
        ? `new deployment started at ${now.lastDeploymentAt} (${note})`
        : null;
    case 'rollback':
      return d.targetTaskDefinition && now.taskDefinition === d.targetTaskDefinition
        ? `running ${shortName(d.targetTaskDefinition)} (${note})`
        : null;
    default:
      // notify changes nothing; a runbook leaves no trace on ECS to confirm (its key dedupes it).
      return null;
  }
}

async function act(scaler: ServiceActuator, service: Service, d: Decision): Promise<string> {
  switch (d.action) {
    case 'scale-out':
    case 'scale-in': {
      if (d.toCount === null) throw new Error(`${d.action} without a target count`);
      const { previous } = await scaler.setDesiredCount(service, d.toCount);
      return `desired count ${previous ?? '?'} → ${d.toCount}`;
    }
    case 'restart':
      await scaler.restart(service);
      return 'new deployment started (same task definition)';
    case 'rollback': {
      const { from, to } = await scaler.rollback(service, d.targetTaskDefinition ?? null);
      return `rolled back ${shortName(from)} → ${shortName(to)}`;
    }
    case 'notify':
      return 'notified';
    default:
      throw new Error(`${d.action} is not an ECS action`);
  }
}

/** arn:aws:ecs:…:task-definition/web-task:3 → web-task:3 */
function shortName(taskDefinition: string): string {
  return taskDefinition.slice(taskDefinition.lastIndexOf('/') + 1);
}
