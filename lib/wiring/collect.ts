// What the collect dispatcher and its workers run on: CloudWatch (with the ALB metrics of discovered
// target groups), Prometheus, queue backlogs and pushed metrics read as one source, ECS state, the
// detector and the table; the dispatcher also invokes the collect-shard workers through Lambda.
import type { AppConfig } from '../config';
import {
  emptyFleetMemory,
  type DispatchDeps,
  type ShardDeps,
} from '../../src/use-cases/collect-dispatch';
import {
  defaultCollectOptions,
  type CollectDeps,
  type CollectOptions,
} from '../../src/use-cases/collect-tick';
import { collectDetectorFor, type CollectedSeriesState } from '../../src/detection';
import { cloudwatchClient } from '../aws/cloudwatch-client';
import { ecsClient } from '../aws/ecs-client';
import { elbv2Client } from '../aws/elbv2-client';
import { LambdaShardInvoker } from '../aws/lambda-client';
import { sqsClient } from '../aws/sqs-client';
import { ssmClient } from '../aws/ssm-client';
import { systemClock } from '../clock';
import { AlbDiscovery } from '../sources/alb-discovery';
import { CloudWatchSource } from '../sources/cloudwatch-source';
import { CombinedMetricSource } from '../sources/combined-source';
import { EcsSource } from '../sources/ecs-source';
import { PrometheusSource } from '../sources/prometheus-source';
import { QueueSource } from '../sources/queue-source';
import { PushedMetricStore } from '../store/pushed-metric-store';
import { powertoolsTelemetry } from '../telemetry/powertools-metrics';
import { logger } from '../logger';
import { CloudWatchSentinelAlarms } from '../sentinel/cloudwatch-sentinel-alarms';
import {
  emptyReconcileMemory,
  reconcileSentinels,
  type SentinelSettings,
} from '../../src/use-cases/sentinel-reconcile';
import type { Service } from '../../src/model';
import { perConfig } from './per-config';
import { heartbeatStore, modelStore, observationStore, serviceRegistry, table } from './table';

export const collectDeps = perConfig(
  (c) =>
    ({
      clock: systemClock,
      registry: serviceRegistry(c),
      metrics: new CombinedMetricSource([
        new CloudWatchSource(
          cloudwatchClient(c),
          c.endpoint,
          new AlbDiscovery(ecsClient(c), elbv2Client(c), c.endpoint),
        ),
        new PrometheusSource({ ssm: ssmClient(c), endpoint: c.endpoint }),
        new QueueSource(sqsClient(c), c.endpoint),
        new PushedMetricStore(table(c)),
      ]),
      ecs: new EcsSource(ecsClient(c), c.endpoint),
      models: modelStore(c),
      observations: observationStore(c),
      heartbeat: heartbeatStore(c),
      detector: collectDetectorFor,
      telemetry: powertoolsTelemetry,
    }) satisfies CollectDeps<CollectedSeriesState>,
);

/** The pause between tries of a failed read (the dispatcher's fleet query, a worker's pass). */
export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A worker's adapters: the collector's, and the pause between its passes over failed services. */
export const shardDeps = perConfig(
  (c) => ({ ...collectDeps(c), pause }) satisfies ShardDeps<CollectedSeriesState>,
);

/** The sentinel alarms' settings: the read cadence's near-target margin sets their thresholds. */
export function sentinelSettings(c: AppConfig): SentinelSettings {
  return {
    enabled: c.collect.sentinel.enabled,
    stage: c.stage,
    nearTargetPercent: c.collect.cadence.nearTargetPercent,
    fullEveryMinutes: 60,
    // PutMetricAlarm's default quota is 3 a second: 30 changes stay within ~10 s of a tick.
    maxChangesPerTick: 30,
  };
}

/** The dispatcher's reconciler of the sentinel alarms, with its memory (once per container). */
export const sentinelReconciler = perConfig((c) => {
  const alarms = new CloudWatchSentinelAlarms(cloudwatchClient(c), c.endpoint);
  const memory = emptyReconcileMemory();
  return {
    memory,
    async reconcile(services: readonly Service[], tickAt: Date): Promise<void> {
      try {
        const result = await reconcileSentinels(
          alarms,
          memory,
          services,
          tickAt.getTime(),
          sentinelSettings(c),
        );
        if (result.put.length > 0 || result.removed.length > 0 || result.pending > 0)
          logger.info('sentinel alarms reconciled', { ...result });
      } catch (err) {
        // The alarms only speed up reads: the tick stands, the next one tries again.
        logger.error('sentinel alarms not reconciled', { error: (err as Error).message });
        powertoolsTelemetry.count('SentinelReconcileFailures');
      }
    },
  };
});

/** The dispatcher: the collector's adapters and the worker invoker (built once per container). */
export const dispatchDeps = perConfig(
  (c) =>
    ({
      ...collectDeps(c),
      shards: new LambdaShardInvoker(
        {
          region: c.region,
          endpoint: c.collect.lambdaEndpoint,
          requestTimeoutMs: c.requestTimeoutMs,
        },
        c.collect.shardFunction,
      ),
      sentinels: sentinelReconciler(c),
      // Kept by the container: a tick whose fleet query keeps failing runs on the last listing.
      fleetMemory: emptyFleetMemory(),
      pause,
    }) satisfies DispatchDeps<CollectedSeriesState>,
);

/** The tick's options from the configuration: detection switch and read cadence. */
export function collectOptions(c: AppConfig): CollectOptions {
  return {
    ...defaultCollectOptions,
    detectionEnabled: c.switches.anomalyDetection,
    cadence: c.collect.cadence,
  };
}
