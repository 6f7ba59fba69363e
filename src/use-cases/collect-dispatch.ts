// The scheduled collector as a dispatcher: it lists the fleet and, when the fleet is larger than one
// shard, splits it and hands each shard to a worker invocation (collectShard), so a tick's wall time
// is one shard's, not the fleet's. A fleet of at most one shard is collected inline.
//
// The tick's heartbeat is written before any worker is invoked (a worker that finishes first must
// find its tick), each worker adds its shard's figures to it, and a shard that could not be handed
// over is reported as that many services not collected. After collecting, the dispatcher keeps the
// fleet's sentinel alarms in step with the services it listed (sentinel-reconcile.ts).
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
}

export interface DispatchResult {
  tickAt: string;
  services: number;
  /** 0 when the fleet was collected inline. */
  shards: number;
  /** The inline collection's result (a fleet of at most one shard). */
  inline: CollectResult | null;
  /** Shards no worker got (their services count as failures in the heartbeat). */
  failedShards: { index: number; services: number; error: string }[];
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
): Promise<DispatchResult> {
  const services = await deps.registry.list();
  if (services.length <= shardSize) {
    const inline = await collectListed(deps, services, tickAt, options);
    await deps.sentinels?.reconcile(services, tickAt);
    return {
      tickAt: tickAt.toISOString(),
      services: services.length,
      shards: 0,
      inline,
      failedShards: [],
    };
  }
  const startedAt = deps.clock.now();
  const parts = splitIntoShards(services, shardSize);
  await deps.heartbeat.recordCollectorRun({
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
  const failedShards: DispatchResult['failedShards'] = [];
  await mapBounded(parts, INVOKES_IN_FLIGHT, async (members, index) => {
    const shard: CollectShard = {
      tickAt: tickAt.toISOString(),
      index,
      count: parts.length,
      services: members,
    };
    try {
      await deps.shards.invoke(shard);
    } catch (err) {
      failedShards.push({ index, services: members.length, error: (err as Error).message });
      await deps.heartbeat.recordCollectorShard(shard.tickAt, index, {
        services: members.length,
        series: 0,
        anomalies: 0,
        failures: members.length,
        durationMs: 0,
      });
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
  };
}

/** One worker's shard: collected like an inline tick, its figures added to the tick's heartbeat. */
export async function collectShard<S>(
  deps: Omit<CollectDeps<S>, 'registry'>,
  shard: CollectShard,
  options: CollectOptions = defaultCollectOptions,
): Promise<CollectResult> {
  const startedAt = deps.clock.now();
  const result = await collectServices(deps, shard.services, new Date(shard.tickAt), options);
  const run: CollectorShardRun = {
    services: result.services,
    series: result.series,
    anomalies: result.anomalies.length,
    failures: result.failures.length,
    durationMs: deps.clock.now().getTime() - startedAt.getTime(),
  };
  await deps.heartbeat.recordCollectorShard(shard.tickAt, shard.index, run);
  return result;
}
