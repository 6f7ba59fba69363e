// The middy stack of scheduled functions (and the Slack subscriber): context in every log line,
// every failure logged, a heartbeat per invocation. The run gets the invocation's deadline less a
// margin (lib/aws/deadline.ts): a call that hangs or keeps retrying is aborted and the run fails
// with a DeadlineError that is logged and recorded in the heartbeat, instead of Lambda's timeout
// killing the invocation with nothing said (middy's own timeout aborts no AWS call and leaves the
// heartbeat's write no time).
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { withDeadline } from '../aws/deadline';
import { logger } from '../logger';
import { telemetryMiddlewares } from '../telemetry/middleware';
import { heartbeat } from './heartbeat';

/** At most this much of the invocation is kept back from the run for its heartbeat and return. */
export const SCHEDULED_MARGIN_MS = 2_000;

/** The run with the invocation's time left less the margin (a quarter of it when little is left). */
function withinInvocation<E, R>(run: (event: E, context: Context) => Promise<R>) {
  return (event: E, context: Context): Promise<R> => {
    const left = context?.getRemainingTimeInMillis?.();
    if (left === undefined || !Number.isFinite(left)) return run(event, context);
    const margin = Math.min(SCHEDULED_MARGIN_MS, left / 4);
    return withDeadline(left - margin, () => run(event, context));
  };
}

export function scheduledHandler<E, R>(run: (event: E, context: Context) => Promise<R>) {
  return middy<E, R>(withinInvocation(run))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(telemetryMiddlewares())
    .use(heartbeat<E, R>())
    .use({
      onError: async (request) => {
        logger.error('scheduled run failed', { error: request.error as Error });
      },
    });
}
