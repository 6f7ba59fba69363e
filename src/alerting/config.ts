// Timing and behaviour of the alert manager, as data with defaults that work (SPEC N4).
import { z } from 'zod';
import { severitySchema } from '../model/common';

const seconds = z
  .number()
  .int()
  .min(0)
  .max(7 * 24 * 3600);

export const alertingConfigSchema = z
  .strictObject({
    /** The first message of an incident waits this long to gather what belongs with it. */
    groupWaitSeconds: seconds.default(30),
    /**
     * The group wait of an incident that is critical from the start: by default it pages at once;
     * what joins it later goes into the next update, one group interval on.
     */
    criticalGroupWaitSeconds: seconds.default(0),
    /**
     * The first message of an incident also waits, up to this long after it opened, for vigia's
     * decision on it (decide answers within seconds), so that it says what vigia found and did.
     */
    decisionWaitSeconds: seconds.default(30),
    /** At most one update message per incident within this interval. */
    groupIntervalSeconds: seconds.default(300),
    /** An incident still open and unacknowledged is repeated this often. */
    repeatIntervalSeconds: seconds.default(4 * 3600),
    /** Every metric of an incident must be back inside its band this long before it resolves. */
    resolveAfterSeconds: seconds.default(300),
    /** No anomaly at all for this long resolves an incident even without "normal" evidence. */
    staleAfterSeconds: seconds.default(1800),
    /**
     * A forecast breach is over after this long without one: the watch repeats a breach still
     * forecast once an hour (watch-sample.ts), on a sample a calm service's 15-minute read may bring
     * late; a shorter wait would call it resolved in between.
     */
    forecastStaleAfterSeconds: seconds.default(80 * 60),
    /** A resolved message waits up to this long for the outcome of an executed action. */
    outcomeWaitSeconds: seconds.default(300),
    /** Resolved incidents stay in the working state this long (late events, the status page). */
    retainResolvedSeconds: seconds.default(24 * 3600),
    /** Anomalies below this severity never open an incident nor add a metric to one. */
    openAtSeverity: severitySchema.default('warning'),
    /** A critical incident hides its warning metrics, and they alone never trigger an update. */
    inhibitWarningsWhenCritical: z.boolean().default(true),
    /** Linked from every message; `{service}` is replaced by the service id. */
    statusPageUrl: z.url().nullable().default(null),
    /** Metrics listed in one message; the rest are counted. */
    maxMetricsPerMessage: z.number().int().min(1).max(10).default(5),
  })
  .prefault({});
export type AlertingConfig = z.infer<typeof alertingConfigSchema>;
export type AlertingConfigInput = z.input<typeof alertingConfigSchema>;

export const defaultAlertingConfig: AlertingConfig = alertingConfigSchema.parse(undefined);

export function statusPageLink(config: AlertingConfig, serviceId: string): string | null {
  if (config.statusPageUrl === null) return null;
  return config.statusPageUrl.replaceAll('{service}', encodeURIComponent(serviceId));
}
