// The telemetry middlewares every middy stack uses: X-Ray around the handler (a no-op off AWS) and
// the EMF flush of the invocation's metrics. An invocation that counted nothing prints nothing.
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { metrics } from './powertools-metrics';
import { tracer } from './tracer';

export function telemetryMiddlewares() {
  return [captureLambdaHandler(tracer), logMetrics(metrics, { throwOnEmptyMetrics: false })];
}
