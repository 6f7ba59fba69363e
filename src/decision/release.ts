// The release a problem may be blamed on (issue #14): the latest deployment someone shipped, not
// one vigia made. ECS shows only the latest deployment, and vigia's own recoveries are deployments
// too: a restart (same task definition) would otherwise become "the latest release" and hide the
// bad one, so it was restarted every cooldown and never rolled back; a rollback would become a
// "new release" that looks bad while the fault lasts, and be rolled back again, one revision
// further each time. Each executed recovery's before/after snapshots say which deployment it made
// and which one it replaced.
import type { Decision } from '../model/decision';
import type { Sample } from '../model/sample';

export interface Release {
  taskDefinition: string;
  /** When ECS started the deployment, ISO. */
  at: string;
}

type EcsState = NonNullable<Sample['ecs']>;

/** A deployment this close after an executed recovery's claim is that recovery's own. */
const OWN_DEPLOYMENT_SLACK_MS = 2 * 60_000;
const DEPLOYING = new Set(['restart', 'rollback']);

/** The recovery (restart, rollback) that made the deployment started at `at`, if vigia made it. */
function deploymentBy(decisions: readonly Decision[], at: string): Decision | undefined {
  const ms = Date.parse(at);
  return decisions.find((d) => {
    if (!DEPLOYING.has(d.action) || (d.status !== 'executed' && d.status !== 'executing'))
      return false;
    if (d.after?.lastDeploymentAt) return d.after.lastDeploymentAt === at;
    // No snapshot after the call (it failed to read): match on the time of the call.
    const from = Date.parse(d.claimedAt ?? d.at);
    const to = Date.parse(d.finishedAt ?? d.claimedAt ?? d.at) + OWN_DEPLOYMENT_SLACK_MS;
    return ms >= from - OWN_DEPLOYMENT_SLACK_MS && ms <= to;
  });
}

/**
 * The deployment someone released that is still what runs: ECS's latest deployment, followed back
 * through vigia's restarts to the one each replaced. Null when vigia's rollback put the running
 * task definition there (it is the known-good one, not a release), or when nothing is known.
 * `decisions` are the service's recent decisions (an hour is enough: older releases are past any
 * deploy window).
 */
export function latestRelease(
  ecs: EcsState | null | undefined,
  decisions: readonly Decision[],
): Release | null {
  if (!ecs?.lastDeploymentAt) return null;
  let at = ecs.lastDeploymentAt;
  const seen = new Set<string>();
  for (;;) {
    if (seen.has(at)) return null;
    seen.add(at);
    const own = deploymentBy(decisions, at);
    if (!own) return { taskDefinition: ecs.taskDefinition, at };
    if (own.action === 'rollback') return null;
    // A restart redeploys what ran before it: the release is whatever that deployment was.
    const before = own.before?.lastDeploymentAt;
    if (!before || (own.before?.taskDefinition ?? ecs.taskDefinition) !== ecs.taskDefinition)
      return null;
    at = before;
  }
}
