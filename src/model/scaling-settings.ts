// Scaling settings of one service (SPEC X3): tolerance, step limits, cooldowns, stabilisation,
// queue-worker sizing and pre-scaling. Defaults follow SPEC X2/X3. Part of the service's configuration.
import { z } from 'zod';
import { storableNumber } from './common';

const seconds = z.number().int().min(0);
// Every number here is stored with the service: storableNumber keeps it within what DynamoDB holds.
const percent = storableNumber().gt(0).lte(100);

/** Queue workers are sized from arrival rate and processing time, not from CPU. */
export const queueWorkerSettingsSchema = z.strictObject({
  /**
   * The SQS queue the workers consume (its name, or its URL): collect reads its backlog and arrival
   * rate as queue_backlog and queue_arrivals. Without it, those metrics may be pushed.
   */
  name: z.string().min(1).max(1024).optional(),
  /** Mean seconds one worker spends on one message. */
  processingSeconds: storableNumber().positive(),
  /** Share of a worker's time it should be busy (0..1]; the rest absorbs bursts. */
  targetUtilisation: storableNumber().gt(0).lte(1).default(0.8),
  /** A backlog should be drained within this many seconds on top of the arrivals. */
  backlogDrainSeconds: z.number().int().positive().default(300),
});
export type QueueWorkerSettings = z.infer<typeof queueWorkerSettingsSchema>;

export const preScalingSettingsSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /**
     * 'act' scales ahead of the forecast; 'forecast-only' scales on measured load alone and records
     * what pre-scaling would have done as a skipped decision (a trial before trusting it).
     */
    mode: z.enum(['act', 'forecast-only']).default('act'),
    /**
     * How far ahead capacity must be ready: about the task start-up time plus one reading, since
     * a task asked for now serves nobody before then. 2 suits pushed readings and Fargate's 1–2
     * minute start; with CloudWatch's minute-old data only, 3.
     */
    leadMinutes: z.number().int().min(1).max(60).default(2),
    /**
     * Also size for the upper edge of the forecast's band, at ceilingPercent: headroom where the load
     * has surprised the forecast lately and where the data is old, none extra where it has been
     * right. On by default since issue 18's seventh round: on the CloudWatch-only path it buys more
     * violation-minutes per task-hour than any other setting tried (docs/benchmarks/scaling.md).
     */
    band: z.boolean().default(true),
    /** Utilisation (%) the upper edge of the forecast band may reach: where latency breaks. */
    ceilingPercent: percent.default(90),
  })
  .prefault({});

export const scalingConfigSchema = z
  .strictObject({
    /** Ratios within 1 ± tolerance change nothing: avoids flapping on noise. */
    tolerance: storableNumber().min(0).lt(1).default(0.1),
    /** Requests per second one task serves at 100%; enables request-based scaling. */
    requestsPerTaskCapacity: storableNumber().positive().optional(),
    /** Share of that capacity to aim for (SPEC X2: requests 75% of capacity). */
    requestsTargetPercent: percent.default(75),
    /**
     * Sizing is absolute (the tasks needed, from the tasks that produced the data), and scale
     * skips an autopilot scale-out that ECS has already overtaken, so a second scale-out while
     * tasks start cannot overshoot: none by default, as with the HPA. Raise it to damp noisy data.
     */
    scaleOutCooldownSeconds: seconds.default(0),
    scaleInCooldownSeconds: seconds.default(120),
    /**
     * Scale in only to the highest recommendation seen over this window. Shorter than the HPA's
     * 300 s: vigia re-measures every reading and scales back out within a start-up time, so a
     * premature scale-in costs less than holding idle tasks.
     */
    scaleInStabilisationSeconds: seconds.default(180),
    /** One scale-out adds at most max(this % of desired, maxScaleOutTasks). */
    maxScaleOutPercent: storableNumber().positive().default(100),
    maxScaleOutTasks: z.number().int().positive().default(4),
    /** One scale-in removes at most this % of desired. */
    maxScaleInPercent: percent.default(50),
    preScaling: preScalingSettingsSchema,
    /**
     * Target scaling (every sample and pushed reading, auto mode) takes at most this many actions
     * per sliding hour; anomaly decisions keep the service's own maxActionsPerHour.
     */
    maxActionsPerHour: z.number().int().min(1).max(240).default(60),
    queue: queueWorkerSettingsSchema.optional(),
  })
  .prefault({});
export type ScalingSettings = z.infer<typeof scalingConfigSchema>;
export type ScalingSettingsInput = z.input<typeof scalingConfigSchema>;
