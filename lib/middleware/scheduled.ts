// The middy stack of scheduled functions (and the Slack subscriber): context in every log line,
// every failure logged, a heartbeat per invocation.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { logger } from '../logger';
import { telemetryMiddlewares } from '../telemetry/middleware';
import { heartbeat } from './heartbeat';

export function scheduledHandler<E, R>(run: (event: E, context: Context) => Promise<R>) {
  return middy<E, R>(run)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(telemetryMiddlewares())
    .use(heartbeat<E, R>())
    .use({
      onError: async (request) => {
        logger.error('scheduled run failed', { error: request.error as Error });
      },
    });
}
