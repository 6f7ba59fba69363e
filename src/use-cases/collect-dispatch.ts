// The scheduled collector as a dispatcher: it lists the fleet and, when the fleet is larger than one
// shard, splits it and hands each shard to a worker invocation (collectShard), so a tick's wall time
// is one shard's, not the fleet's. A fleet of at most one shard is collected inline.
//
// The tick's heartbeat is written before any worker is invoked (a worker that finishes first must
// find its tick), each worker adds its shard's figures to it, and a shard that could not be handed
// over is reported as that many services not collected. After collecting, the dispatcher keeps the
// fleet's sentinel alarms in step with the services it listed (sentinel-reconcile.ts).
//
// Faults do not cost a tick: the fleet query is tried again with backoff and, when it keeps failing,
// the tick runs on the last listing this container saw (a fleet changes rarely; a tick not taken is
// a minute of every service unread). A worker whose shard fails partway keeps what it collected and
// tries the failed services again, with backoff, while its time allows.
import { mapBounded } from '../bounded-map';
import type { Service } from '../model';
import type { CollectShard, CollectorShardRun, ShardInvoker } from '../ports';
import {
  collectListed,
  collectServices,
  defaultCollectOptions,
  type CollectDeps,
  type CollectOptions,
  type CollectResult,
} from './collect-tick';

/** Worker invocations requested at once: a thousand shards must not open a thousand connections. */
const INVOKES_IN_FLIGHT = 10;

export interface DispatchDeps<S> extends CollectDeps<S> {
  shards: ShardInvoker;
  /** Keeps the fleet's sentinel alarms in step with the services just listed (never throws). */
  sentinels?: { reconcile(services: readonly Service[], tickAt: Date): Promise<void> };
  /** The last listing this container saw (kept across ticks): the fallback of a failed query. */
  fleetMemory?: FleetMemory;
  /** Waits between tries (injected: the domain keeps no timers of its own). */
  pause?: (ms: number) => Promise<void>;
}

/** The last fleet listing a dispatcher saw, and when (the tick it was listed for). */
export interface FleetMemory {
  last: { services: Service[]; listedAt: number } | null;
}

export function emptyFleetMemory(): FleetMemory {
  return { last: null };
}

/** How hard the dispatcher and the workers try before they fall back or give up. */
export interface FaultPolicy {
  /** Tries of the fleet query (and of the tick's heartbeat write) before falling back. */
  listAttempts: number;
  /** Pause before the second try; doubled before each further one. */
  firstPauseMs: number;
  /**
   * Oldest listing a failed query falls back to. Services change only through the API or a deploy
   * (which starts new containers); past this the listing is too old to stand for the fleet.
   */
  maxListingAgeMs: number;
  /** Further passes a worker makes over the services of its shard that failed. */
  shardRetryPasses: number;
}

export const defaultFaultPolicy: FaultPolicy = {
  listAttempts: 3,
  firstPauseMs: 500,
  maxListingAgeMs: 3 * 60 * 60_000,
  shardRetryPasses: 2,
};

/** Where the tick's services came from. */
export type FleetListing =
  { source: 'registry' } | { source: 'remembered'; listedAt: string; error: string };

export interface DispatchResult {
  tickAt: string;
  services: number;
  /** 0 when the fleet was collected inline. */
  shards: number;
  /** The inline collection's result (a fleet of at most one shard). */
  inline: CollectResult | null;
  /** Shards no worker got (their services count as failures in the heartbeat). */
  failedShards: { index: number; services: number; error: string }[];
  listing: FleetListing;
  /** Why the tick's heartbeat could not be written (the shards were handed over all the same). */
  heartbeatError?: string;
}

/** Runs `attempt` up to `tries` times, pausing with exponential backoff; the last error escapes. */
async function withBackoff<T>(
  tries: number,
  firstPauseMs: number,
  pause: ((ms: number) => Promise<void>) | undefined,
  attempt: () => Promise<T>,
): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (i >= tries) throw err;
      await pause?.(firstPauseMs * 2 ** (i - 1));
    }
  }
}

/**
 * The fleet for this tick: the registry's answer (remembered for the next ticks), or, when the
 * query keeps failing, the last listing seen within the policy's age. No listing at all throws.
 */
export async function listFleet(
  deps: Pick<DispatchDeps<unknown>, 'registry' | 'fleetMemory' | 'pause' | 'telemetry'>,
  tickAt: Date,
  policy: FaultPolicy = defaultFaultPolicy,
): Promise<{ services: Service[]; listing: FleetListing }> {
  try {
    const services = await withBackoff(policy.listAttempts, policy.firstPauseMs, deps.pause, () =>
      deps.registry.list(),
    );
    if (deps.fleetMemory) deps.fleetMemory.last = { services, listedAt: tickAt.getTime() };
    return { services, listing: { source: 'registry' } };
  } catch (err) {
    const last = deps.fleetMemory?.last;
    const age = last ? tickAt.getTime() - last.listedAt : Infinity;
    if (!last || age > policy.maxListingAgeMs) throw err;
    deps.telemetry?.count('FleetListingRemembered');
    return {
      services: last.services,
      listing: {
        source: 'remembered',
        listedAt: new Date(last.listedAt).toISOString(),
        error: (err as Error).message,
      },
    };
  }
}

/** The fleet in shards of `size`, in the registry's order. */
export function splitIntoShards<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`shard size must be ≥ 1, got ${size}`);
  const shards: T[][] = [];
  for (let i = 0; i < items.length; i += size) shards.push(items.slice(i, i + size));
  return shards;
}

export async function dispatchCollect<S>(
  deps: DispatchDeps<S>,
  tickAt: Date,
  shardSize: number,
  options: CollectOptions = defaultCollectOptions,
  policy: FaultPolicy = defaultFaultPolicy,
): Promise<DispatchResult> {
  const { services, listing } = await listFleet(deps, tickAt, policy);
  if (services.length <= shardSize) {
    const inline = await collectListed(deps, services, tickAt, options);
    await deps.sentinels?.reconcile(services, tickAt);
    return {
      tickAt: tickAt.toISOString(),
      services: services.length,
      shards: 0,
      inline,
      failedShards: [],
      listing,
    };
  }
  const startedAt = deps.clock.now();
  const parts = splitIntoShards(services, shardSize);
  const beat = () =>
    deps.heartbeat.recordCollectorRun({
      ranAt: startedAt.toISOString(),
      tickAt: tickAt.toISOString(),
      services: services.length,
      series: 0,
      anomalies: 0,
      failures: 0,
      durationMs: 0,
      shards: parts.length,
      shardsDone: 0,
    });
  // The heartbeat only reports the tick: one that cannot be written does not hold the reads back
  // (the workers' figures then find no tick to join, and /health shows the tick as missed).
  const heartbeatError = await withBackoff(
    policy.listAttempts,
    policy.firstPauseMs,
    deps.pause,
    beat,
  )
    .then(() => undefined)
    .catch((err: Error) => err.message);
  const failedShards: DispatchResult['failedShards'] = [];
  await mapBounded(parts, INVOKES_IN_FLIGHT, async (members, index) => {
    const shard: CollectShard = {
      tickAt: tickAt.toISOString(),
      index,
      count: parts.length,
      services: members,
    };
    try {
      // A retried invoke whose first answer was lost runs the shard twice: collecting is idempotent.
      await withBackoff(policy.listAttempts, policy.firstPauseMs, deps.pause, () =>
        deps.shards.invoke(shard),
      );
    } catch (err) {
      failedShards.push({ index, services: members.length, error: (err as Error).message });
      // Only the heartbeat's figures: a failure to write them must not cost the other shards.
      await deps.heartbeat
        .recordCollectorShard(shard.tickAt, index, {
          services: members.length,
          series: 0,
          anomalies: 0,
          failures: members.length,
          durationMs: 0,
        })
        .catch(() => undefined);
    }
  });
  deps.telemetry?.count('ShardsDispatched', parts.length - failedShards.length);
  // After the shards are handed over: the minute's reads come first.
  await deps.sentinels?.reconcile(services, tickAt);
  if (failedShards.length === parts.length) {
    throw new Error(`no collect shard was handed over: ${failedShards[0]!.error}`);
  }
  return {
    tickAt: tickAt.toISOString(),
    services: services.length,
    shards: parts.length,
    inline: null,
    failedShards,
    listing,
    ...(heartbeatError ? { heartbeatError } : {}),
  };
}

/** A worker's adapters: the collector's, and a pause between its passes over failed services. */
export type ShardDeps<S> = Omit<CollectDeps<S>, 'registry'> & {
  pause?: (ms: number) => Promise<void>;
};

/**
 * One worker's shard: collected like an inline tick, its figures added to the tick's heartbeat. The
 * services that failed (a read or a write that kept failing) are collected again, on their own, in
 * up to `shardRetryPasses` further passes with backoff while `remainingMs` leaves room for a service's
 * budget; what the first pass collected is kept. A whole pass failing (the models unreadable) counts
 * as each of its services failing, so it is tried again too.
 */
export async function collectShard<S>(
  deps: ShardDeps<S>,
  shard: CollectShard,
  options: CollectOptions = defaultCollectOptions,
  policy: FaultPolicy = defaultFaultPolicy,
  remainingMs?: () => number,
): Promise<CollectResult> {
  const startedAt = deps.clock.now();
  const tickAt = new Date(shard.tickAt);
  const pass = (services: readonly Service[]) =>
    collectServices(deps, services, tickAt, options).catch((err: Error): CollectResult => ({
      tickAt: shard.tickAt,
      services: services.length,
      notDue: 0,
      series: 0,
      samples: 0,
      anomalies: [],
      failures: services.map((s) => ({ serviceId: s.id, error: err.message })),
      sourceFailures: [],
    }));
  let result = await pass(shard.services);
  for (let retry = 1; retry <= policy.shardRetryPasses; retry++) {
    // '*' (ECS unreadable) spoiled no service's collection: the services were collected without it.
    const failed = new Set(
      result.failures.filter((f) => f.serviceId !== '*').map((f) => f.serviceId),
    );
    if (failed.size === 0) break;
    if (remainingMs && remainingMs() < 2 * options.serviceBudgetMs) break;
    await deps.pause?.(policy.firstPauseMs * 2 ** (retry - 1));
    const again = await pass(shard.services.filter((s) => failed.has(s.id)));
    deps.telemetry?.count('ShardServicesRetried', failed.size);
    result = {
      ...result,
      notDue: result.notDue + again.notDue,
      series: result.series + again.series,
      samples: result.samples + again.samples,
      anomalies: [...result.anomalies, ...again.anomalies],
      failures: [...result.failures.filter((f) => !failed.has(f.serviceId)), ...again.failures],
      sourceFailures: [...result.sourceFailures, ...again.sourceFailures],
    };
  }
  const run: CollectorShardRun = {
    services: result.services,
    series: result.series,
    anomalies: result.anomalies.length,
    failures: result.failures.length,
    durationMs: deps.clock.now().getTime() - startedAt.getTime(),
  };
  await withBackoff(policy.listAttempts, policy.firstPauseMs, deps.pause, () =>
    deps.heartbeat.recordCollectorShard(shard.tickAt, shard.index, run),
  );
  return result;
}
