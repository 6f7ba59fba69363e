// The X-Ray tracer, one per container. Powertools turns it off by itself outside Lambda (no
// AWS_EXECUTION_ENV: tests, serverless offline, scripts) and when POWERTOOLS_TRACE_ENABLED=false, so
// capturing clients and handlers costs nothing there and never looks for an X-Ray daemon.
import { Tracer } from '@aws-lambda-powertools/tracer';

export const tracer = new Tracer({ serviceName: 'vigia' });

/** Each SDK call becomes an X-Ray subsegment; the client comes back untouched when tracing is off. */
export function traced<C>(client: C): C {
  return tracer.captureAWSv3Client(client as Parameters<Tracer['captureAWSv3Client']>[0]) as C;
}
