// The middy stack of scheduled functions: context in every log line, every failure logged.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { logger } from '../logger';

export function scheduledHandler<E, R>(run: (event: E, context: Context) => Promise<R>) {
  return middy<E, R>(run)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      onError: async (request) => {
        logger.error('scheduled run failed', { error: request.error as Error });
      },
    });
}
