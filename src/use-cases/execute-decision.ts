// Executes an approved decision exactly once: claim it (approved → executing) with a conditional
// write, act on ECS (desired count, new deployment, rollback, or nothing for notify), then record
// executed | failed | skipped together with the audit record, state before and after. A second
// delivery finds it claimed and does nothing.
import { gateDecision, overtakenBy, type GlobalSwitches } from '../decision';
import type { Decision, Service, ServiceSnapshot } from '../model';
import type {
  Clock,
  DecisionLedger,
  DecisionStore,
  ServiceActuator,
  ServiceRegistry,
} from '../ports';

export interface ExecuteDeps {
  clock: Clock;
  registry: ServiceRegistry;
  decisions: Pick<DecisionStore, 'claimDecision'>;
  ledger: Pick<DecisionLedger, 'completeDecision'>;
  scaler: ServiceActuator;
}

/** A claim older than this belongs to a scaler that died mid-way; it may be taken over. */
const STALE_CLAIM_MS = 5 * 60_000;

export type ExecutionOutcome = 'executed' | 'failed' | 'skipped' | 'already-handled';

export async function executeDecision(
  deps: ExecuteDeps,
  decision: Decision,
  switches: GlobalSwitches,
): Promise<ExecutionOutcome> {
  const now = deps.clock.now();
  const claimed = await deps.decisions.claimDecision(
    decision.serviceId,
    decision.id,
    now,
    new Date(now.getTime() - STALE_CLAIM_MS),
  );
  if (!claimed) return 'already-handled';

  let before: ServiceSnapshot | null = null;
  let after: ServiceSnapshot | null = null;
  const finish = async (status: 'executed' | 'failed' | 'skipped', result: string) => {
    await deps.ledger.completeDecision({
      decision: claimed,
      status,
      result,
      finishedAt: deps.clock.now(),
      before,
      after,
    });
    return status;
  };

  const service = await deps.registry.get(claimed.serviceId);
  if (!service) return finish('failed', `unknown service '${claimed.serviceId}'`);

  // The autopilot's own decisions obey the mode and switches as they are now, not as they were
  // when decided: an operator who turns the service off mid-way is heard. Operators' requests and
  // approvals are theirs to make.
  if (claimed.requestedBy.startsWith('vigia:')) {
    const gate = gateDecision(claimed.action, service.mode, switches);
    if (gate.status === 'skipped') return finish('skipped', gate.reason);
  }
  if (claimed.action === 'notify') return finish('executed', 'notified');

  try {
    before = await deps.scaler.snapshot(service);
    const overtaken = overtakenBy(claimed, before);
    if (overtaken) return finish('skipped', overtaken);
    const result = await act(deps.scaler, service, claimed);
    after = await deps.scaler.snapshot(service).catch(() => null);
    return finish('executed', result);
  } catch (err) {
    return finish('failed', (err as Error).message);
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
  }
}

/** arn:aws:ecs:…:task-definition/web-task:3 → web-task:3 */
function shortName(taskDefinition: string): string {
  return taskDefinition.slice(taskDefinition.lastIndexOf('/') + 1);
}
