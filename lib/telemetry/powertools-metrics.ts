// vigia's own metrics in CloudWatch embedded metric format (Powertools Metrics): namespace `vigia`,
// dimensions service (the function's name) and stage. Metrics without dimensions of their own are
// batched and flushed once per invocation by the `logMetrics` middleware of each middy stack; a
// metric with dimensions (decisions by outcome, failures by dependency) is one EMF line of its own,
// since one invocation can count several outcomes and a batch shares one dimension set.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger } from '../logger';
import type { Telemetry, TelemetryDimensions } from '../../src/ports';

export const METRICS_NAMESPACE = 'vigia';

/**
 * Powertools' own warnings go to vigia's logger, except "No application metrics to publish": most
 * invocations (a /health read, a record nobody acts on) count nothing, which is not worth a line.
 */
const metricsLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message: unknown) => {
    if (!String(message).startsWith('No application metrics')) logger.warn(String(message));
  },
  error: (message: unknown) => logger.error(String(message)),
};

export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  logger: metricsLogger,
  serviceName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'vigia',
  defaultDimensions: { stage: process.env.VIGIA_STAGE ?? 'local' },
});

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

function emit(name: string, unit: Unit, value: number, dims?: TelemetryDimensions): void {
  if (!dims || Object.keys(dims).length === 0) {
    metrics.addMetric(name, unit, value);
    return;
  }
  const single = metrics.singleMetric();
  for (const [key, dim] of Object.entries(dims)) single.addDimension(key, dim);
  single.addMetric(name, unit, value);
}

/** The production telemetry: every count and timing becomes a CloudWatch metric. */
export const powertoolsTelemetry: Telemetry = {
  count: (name, value = 1, dims) => emit(name, MetricUnit.Count, value, dims),
  timing: (name, ms, dims) => emit(name, MetricUnit.Milliseconds, Math.max(0, ms), dims),
};
