// Executes an approved decision exactly once: claim it (approved → executing) with a conditional
// write, act on ECS, record executed or failed. A second delivery finds it claimed and does nothing.
import type { Decision } from '../model';
import type { Clock, DecisionStore, Scaler, ServiceRegistry } from '../ports';

export interface ExecuteDeps {
  clock: Clock;
  registry: ServiceRegistry;
  decisions: DecisionStore;
  scaler: Scaler;
}

/** A claim older than this belongs to a scaler that died mid-way; it may be taken over. */
const STALE_CLAIM_MS = 5 * 60_000;

export type ExecutionOutcome = 'executed' | 'failed' | 'already-handled';

export async function executeDecision(
  deps: ExecuteDeps,
  decision: Decision,
): Promise<ExecutionOutcome> {
  const now = deps.clock.now();
  const claimed = await deps.decisions.claimDecision(
    decision.serviceId,
    decision.id,
    now,
    new Date(now.getTime() - STALE_CLAIM_MS),
  );
  if (!claimed) return 'already-handled';

  const finish = async (status: 'executed' | 'failed', result: string) => {
    await deps.decisions.finishDecision(claimed.serviceId, claimed.id, {
      status,
      result,
      finishedAt: deps.clock.now(),
    });
    return status;
  };

  const service = await deps.registry.get(claimed.serviceId);
  if (!service) return finish('failed', `unknown service '${claimed.serviceId}'`);

  if (
    (claimed.action === 'scale-out' || claimed.action === 'scale-in') &&
    claimed.toCount !== null
  ) {
    try {
      const { previous } = await deps.scaler.setDesiredCount(service, claimed.toCount);
      return finish('executed', `desired count ${previous ?? '?'} → ${claimed.toCount}`);
    } catch (err) {
      return finish('failed', (err as Error).message);
    }
  }
  if (claimed.action === 'notify') return finish('executed', 'notified');
  return finish('failed', `action '${claimed.action}' cannot be executed by this scaler`);
}
