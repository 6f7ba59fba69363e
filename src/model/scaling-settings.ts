// Scaling settings of one service (SPEC X3): tolerance, step limits, cooldowns, stabilisation,
// queue-worker sizing and pre-scaling. Defaults follow SPEC X2/X3. Part of the service's configuration.
import { z } from 'zod';

const seconds = z.number().int().min(0);
const percent = z.number().gt(0).lte(100);

/** Queue workers are sized from arrival rate and processing time, not from CPU. */
export const queueWorkerSettingsSchema = z.strictObject({
  /** Mean seconds one worker spends on one message. */
  processingSeconds: z.number().positive(),
  /** Share of a worker's time it should be busy (0..1]; the rest absorbs bursts. */
  targetUtilisation: z.number().gt(0).lte(1).default(0.8),
  /** A backlog should be drained within this many seconds on top of the arrivals. */
  backlogDrainSeconds: z.number().int().positive().default(300),
});
export type QueueWorkerSettings = z.infer<typeof queueWorkerSettingsSchema>;

export const preScalingSettingsSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /**
     * How far ahead capacity must be ready: about the task start-up time plus one tick, since a
     * task asked for now serves nobody before then.
     */
    leadMinutes: z.number().int().min(1).max(60).default(3),
    /** Utilisation (%) the upper edge of the forecast band may reach: where latency breaks. */
    ceilingPercent: percent.default(90),
  })
  .prefault({});

export const scalingConfigSchema = z
  .strictObject({
    /** Ratios within 1 ± tolerance change nothing: avoids flapping on noise. */
    tolerance: z.number().min(0).lt(1).default(0.1),
    /** Requests per second one task serves at 100%; enables request-based scaling. */
    requestsPerTaskCapacity: z.number().positive().optional(),
    /** Share of that capacity to aim for (SPEC X2: requests 75% of capacity). */
    requestsTargetPercent: percent.default(75),
    scaleOutCooldownSeconds: seconds.default(60),
    scaleInCooldownSeconds: seconds.default(120),
    /** Scale in only to the highest recommendation seen over this window. */
    scaleInStabilisationSeconds: seconds.default(300),
    /** One scale-out adds at most max(this % of desired, maxScaleOutTasks). */
    maxScaleOutPercent: z.number().positive().default(100),
    maxScaleOutTasks: z.number().int().positive().default(4),
    /** One scale-in removes at most this % of desired. */
    maxScaleInPercent: percent.default(50),
    preScaling: preScalingSettingsSchema,
    queue: queueWorkerSettingsSchema.optional(),
  })
  .prefault({});
export type ScalingSettings = z.infer<typeof scalingConfigSchema>;
export type ScalingSettingsInput = z.input<typeof scalingConfigSchema>;
