// The middy stack of the HTTP API: the one place where errors become responses. Domain errors map to
// their status; anything else is a 500 whose body hides server-side detail.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { NotFoundError, ValidationError, VigiaError, ConflictError } from '../../src/errors';
import { logger } from '../logger';

export type HttpResult = { statusCode: number; headers?: Record<string, string>; body: string };

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export function errorResponse(err: unknown): HttpResult {
  if (err instanceof ValidationError)
    return json(400, { error: err.code, message: err.message, issues: err.issues });
  if (err instanceof NotFoundError) return json(404, { error: err.code, message: err.message });
  if (err instanceof ConflictError) return json(409, { error: err.code, message: err.message });
  if (err instanceof VigiaError && err.code === 'aws_failure') {
    return json(503, { error: 'unavailable', message: 'a backing service is unavailable' });
  }
  return json(500, { error: 'internal', message: 'internal error' });
}

export function httpHandler(
  run: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>,
) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(run)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      onError: async (request) => {
        const err = request.error;
        const response = errorResponse(err);
        if (response.statusCode >= 500) logger.error('request failed', { error: err as Error });
        request.response = response;
      },
    });
}
