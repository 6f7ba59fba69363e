// vigia as deployed, minus AWS: every minute the scheduled functions run in order (collect, then the
// sweep, verify and alert-timers), and after each one the stream consumers (watch, decide, autoscale,
// scale, notify) take every record it wrote, in write order, as functions/*.ts do — same use cases,
// same filters, adapters built the way lib/wiring builds them but in memory. To add a step (a new
// consumer or schedule), add it to `streamConsumers` or `scheduledSteps`.
import { actionOutcomeSchema, defaultAlertingConfig } from '../../src/alerting';
import type { GlobalSwitches } from '../../src/decision';
import { collectDetectorFor, type CollectedSeriesState } from '../../src/detection';
import type { Service } from '../../src/model';
import { processAlertInput, flushServiceAlerts } from '../../src/use-cases/alert-notifications';
import type { AlertDeps, AlertInput } from '../../src/use-cases/alert-notifications';
import { autoscaleOnReading, readingOfSample } from '../../src/use-cases/autoscale';
import type { AutoscaleDeps } from '../../src/use-cases/autoscale';
import { sentinelSpec } from '../../src/collection/sentinel-alarm';
import {
  collectServices,
  collectTick,
  defaultCollectOptions,
  type CollectOptions,
} from '../../src/use-cases/collect-tick';
import type { CollectDeps } from '../../src/use-cases/collect-tick';
import { decideOnAnomaly, type DecideDeps } from '../../src/use-cases/decide-on-anomaly';
import { executeDecision } from '../../src/use-cases/execute-decision';
import { sweepUnfinishedDecisions, type SweepDeps } from '../../src/use-cases/sweep-decisions';
import { wakeOnSentinel, type WakeDeps } from '../../src/use-cases/sentinel-wake';
import { verifyActions, type VerifyDeps } from '../../src/use-cases/verify-actions';
import { watchSample, type WatchDeps } from '../../src/use-cases/watch-sample';
import type { FleetSim } from './fleet-sim';
import {
  MemoryAlerting,
  MemoryClock,
  MemoryHeartbeat,
  MemoryModelStore,
  MemoryNotificationLog,
  MemoryObservations,
  MemoryRegistry,
  MemoryTable,
  type StreamRecord,
} from './memory-ports';
import { MemoryDecisions } from './memory-decisions';
import { CountingNotifier, SimEcs, SimMetricSource, SimSentinelAlarm } from './sim-adapters';

/** AUTO_SCALING_ENABLED, AUTO_RECOVERY_ENABLED and AI_DECISIONS_ENABLED as production defaults them. */
export const productionSwitches: GlobalSwitches = {
  autoScalingEnabled: true,
  autoRecoveryEnabled: true,
  aiDecisionsEnabled: false,
};

export interface VigiaStack {
  clock: MemoryClock;
  table: MemoryTable;
  notifier: CountingNotifier;
  alerting: MemoryAlerting;
  switches: GlobalSwitches;
  registry: MemoryRegistry;
  collect: CollectDeps<CollectedSeriesState>;
  decide: DecideDeps;
  autoscale: AutoscaleDeps;
  execute: SweepDeps;
  verify: VerifyDeps;
  watch: WatchDeps;
  alert: AlertDeps;
  /** The service's sentinel alarm, evaluated only with `--cadence sentinel`. */
  sentinel: SimSentinelAlarm;
  wake: WakeDeps;
}

/**
 * How the collector reads: `minute` reads every service every minute (the local stack's way, the
 * bench's default); `sentinel` is the production default — a calm service read every 15 minutes,
 * woken between reads by its sentinel alarm (src/collection/read-cadence.ts, sentinel-alarm.ts).
 */
export const cadences = ['minute', 'sentinel'] as const;
export type Cadence = (typeof cadences)[number];

/** The stage the bench's alarms are named for. */
const BENCH_STAGE = 'bench';

/** The composition root of lib/wiring, in memory, for one service on one simulated fleet. */
export function vigiaStack(
  service: Service,
  sim: FleetSim,
  switches = productionSwitches,
  cadence: Cadence = 'minute',
) {
  const clock = new MemoryClock(sim.settings.startMs);
  const table = new MemoryTable(clock);
  const registry = new MemoryRegistry([service]);
  const observations = new MemoryObservations(table);
  const decisions = new MemoryDecisions(table);
  const models = new MemoryModelStore();
  const ecs = new SimEcs(sim);
  const notifier = new CountingNotifier(clock);
  const alerting = new MemoryAlerting(defaultAlertingConfig.retainResolvedSeconds);
  const options = collectOptionsFor(cadence);
  const collect: CollectDeps<CollectedSeriesState> = {
    clock,
    registry,
    metrics: new SimMetricSource(sim, service.id),
    ecs,
    models,
    observations,
    heartbeat: new MemoryHeartbeat(),
    detector: collectDetectorFor,
  };
  const stack: VigiaStack = {
    clock,
    table,
    notifier,
    alerting,
    switches,
    registry,
    collect,
    decide: {
      clock,
      registry,
      decisions,
      ledger: decisions,
      observations,
      learning: decisions,
      samples: decisions,
      models,
    },
    autoscale: { clock, registry, ledger: decisions, decisions, ecs, models, learning: decisions },
    execute: { clock, registry, decisions, ledger: decisions, scaler: ecs, pending: decisions },
    verify: { clock, registry, learning: decisions, pending: decisions },
    // As lib/wiring/watch.ts builds it: with the models, so forecast breaches are judged too.
    watch: { clock, registry, observations, samples: decisions, models },
    alert: {
      clock,
      store: alerting,
      observations,
      log: new MemoryNotificationLog(),
      notifier,
      config: defaultAlertingConfig,
    },
    sentinel: new SimSentinelAlarm(sim, sentinelSpec(service, BENCH_STAGE, options.cadence)),
    // As lib/wiring/wake.ts builds it: the woken service read now, as a collector worker would.
    wake: {
      clock,
      registry,
      models,
      readNow: (s, at) => collectServices(collect, [s], at, options),
    },
  };
  return stack;
}

export interface StreamConsumer {
  name: string;
  handle(stack: VigiaStack, record: StreamRecord): Promise<void>;
}

export interface ScheduledStep {
  name: string;
  run(stack: VigiaStack, tickAt: Date): Promise<void>;
}

/** functions/notify.ts's alertInputOf, over the in-memory stream record. */
export function alertInputOf(record: StreamRecord): AlertInput | null {
  if (record.kind === 'anomaly') return { kind: 'anomaly', anomaly: record.newImage };
  if (record.kind === 'sample') return { kind: 'sample', sample: record.newImage };
  const decision = record.newImage;
  if (decision.outcome && decision.verifiedAt && !record.oldImage?.outcome) {
    return {
      kind: 'outcome',
      outcome: actionOutcomeSchema.parse({
        decisionId: decision.id,
        serviceId: decision.serviceId,
        verdict: decision.outcome,
        at: decision.verifiedAt,
        detail: decision.outcomeDetail ?? '',
      }),
    };
  }
  if (record.oldImage?.status === decision.status) return null;
  return { kind: 'decision', decision };
}

export const streamConsumers: StreamConsumer[] = [
  {
    // Threshold policies (with their `for` windows) on every sample, as anomalies (issue 14).
    name: 'watch',
    async handle(stack, record) {
      if (record.kind !== 'sample') return;
      await watchSample(stack.watch, record.newImage);
    },
  },
  {
    name: 'decide',
    async handle(stack, record) {
      if (record.kind !== 'anomaly') return;
      await decideOnAnomaly(stack.decide, record.newImage, stack.switches);
    },
  },
  {
    name: 'autoscale',
    async handle(stack, record) {
      if (record.kind !== 'sample') return;
      await autoscaleOnReading(stack.autoscale, readingOfSample(record.newImage), stack.switches);
    },
  },
  {
    name: 'scale',
    async handle(stack, record) {
      if (record.kind !== 'decision' || record.newImage.status !== 'approved') return;
      await executeDecision(stack.execute, record.newImage, stack.switches);
    },
  },
  {
    name: 'notify',
    async handle(stack, record) {
      const input = alertInputOf(record);
      if (input) await processAlertInput(stack.alert, input);
    },
  },
];

/**
 * `minute`: the collector reads every service every minute, as the local stack runs it. `sentinel`:
 * the production default (read-cadence.ts) — a calm service read every 15 minutes, its sentinel
 * alarm evaluated on the simulated CloudWatch datapoints by the alarm's own rule and waking it as
 * the wake function does (the `sentinel` step).
 */
export function collectOptionsFor(cadence: Cadence): CollectOptions {
  if (cadence === 'sentinel') return defaultCollectOptions;
  return {
    ...defaultCollectOptions,
    cadence: { ...defaultCollectOptions.cadence, calmEveryMinutes: 1 },
  };
}

/** The alarm's state changes reach the wake function (EventBridge) before the collector's tick. */
const sentinelStep: ScheduledStep = {
  name: 'sentinel',
  async run(stack, tickAt) {
    const change = stack.sentinel.evaluate(tickAt);
    if (!change) return;
    await wakeOnSentinel(
      stack.wake,
      { alarmName: change.alarmName, state: change.state, changedAt: change.changedAt },
      { enabled: true, stage: BENCH_STAGE, maxConflictRetries: 3 },
    );
  },
};

/** The schedules of one minute, in order, for a collector cadence. */
export function scheduledStepsFor(cadence: Cadence): ScheduledStep[] {
  const options = collectOptionsFor(cadence);
  const collect: ScheduledStep = {
    name: 'collect',
    async run(stack, tickAt) {
      await collectTick(stack.collect, tickAt, options);
    },
  };
  return [...(cadence === 'sentinel' ? [sentinelStep] : []), collect, ...afterCollect];
}

const afterCollect: ScheduledStep[] = [
  {
    name: 'sweep',
    async run(stack) {
      await sweepUnfinishedDecisions(stack.execute, stack.switches);
    },
  },
  {
    name: 'verify',
    async run(stack) {
      await verifyActions(stack.verify, stack.switches);
    },
  },
  {
    name: 'alert-timers',
    async run(stack) {
      for (const service of await stack.registry.list()) {
        await flushServiceAlerts(stack.alert, service.id);
      }
    },
  },
];

/** The default cadence's schedules (`minute`). */
export const scheduledSteps: ScheduledStep[] = scheduledStepsFor('minute');

/** One minute of the stack: each schedule, then every stream record it caused. */
export async function runVigiaTick(
  stack: VigiaStack,
  tickAt: Date,
  steps: readonly ScheduledStep[] = scheduledSteps,
  consumers: readonly StreamConsumer[] = streamConsumers,
): Promise<void> {
  let offsetMs = 2_000;
  for (const step of steps) {
    stack.clock.set(tickAt.getTime() + offsetMs);
    await step.run(stack, tickAt);
    await drain(stack, consumers);
    offsetMs += 1_000;
  }
}

async function drain(stack: VigiaStack, consumers: readonly StreamConsumer[]): Promise<void> {
  const { stream } = stack.table;
  // Records written while draining join the end of the stream, as they would on DynamoDB.
  while (stream.length > 0) {
    const record = stream.shift()!;
    for (const consumer of consumers) await consumer.handle(stack, record);
  }
}
