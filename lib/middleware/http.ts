// The middy stack of the HTTP API: the one place where errors become responses. An error's kind
// picks the status; its data adds the headers (retry-after, allow, www-authenticate). Anything
// unclassified, or a backing service down, is a 5xx whose body hides server-side detail and which
// is logged. Every response, errors included, carries the request id and the security headers;
// headers a refusal earned before it was thrown (the caller's remaining rate) stay on the response.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import {
  MethodNotAllowedError,
  RateLimitedError,
  ValidationError,
  VigiaError,
  type ErrorKind,
} from '../../src/errors';
import { logger } from '../logger';
import { telemetryMiddlewares } from '../telemetry/middleware';

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

const statusOf: Record<ErrorKind, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  too_large: 413,
  unsupported_media: 415,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

/** What a server-side failure may tell the client: its kind, never its message or cause. */
const hidden: Partial<Record<ErrorKind, { error: string; message: string }>> = {
  internal: { error: 'internal', message: 'internal error' },
  unavailable: { error: 'unavailable', message: 'a backing service is unavailable' },
};

function headersOf(err: VigiaError): Record<string, string> {
  if (err.kind === 'unauthorized') return { 'www-authenticate': 'ApiKey header="X-API-Key"' };
  if (err instanceof RateLimitedError) return { 'retry-after': String(err.retryAfterSeconds) };
  if (err instanceof MethodNotAllowedError) return { allow: err.allowed.join(', ') };
  return {};
}

export function errorResponse(err: unknown): HttpResult {
  const known = err instanceof VigiaError ? err : null;
  const kind: ErrorKind = known?.kind ?? 'internal';
  const status = statusOf[kind];
  const secret = hidden[kind];
  if (secret || !known) return json(status, secret ?? hidden.internal);
  const body =
    known instanceof ValidationError
      ? { error: known.code, message: known.message, issues: known.issues }
      : { error: known.code, message: known.message };
  return json(status, body, headersOf(known));
}

/**
 * Headers an error keeps whatever its kind: the pipeline knows the caller's remaining rate before a
 * later step refuses the request, and a client backing off needs it on the 4xx/429 as well.
 */
const earnedHeaders = new WeakMap<object, Record<string, string>>();
export function keepHeadersOnError(err: unknown, headers: Record<string, string>): void {
  if (typeof err === 'object' && err !== null) earnedHeaders.set(err, headers);
}

/** JSON is never sniffed as HTML, and browsers stay on HTTPS for the API's host. */
const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
};

function requestIdOf(event: APIGatewayProxyEventV2 | undefined): string {
  return event?.requestContext?.requestId ?? 'local';
}

function withStandardHeaders(response: APIGatewayProxyResultV2 | null, requestId: string) {
  if (response === null || typeof response !== 'object') return response;
  return {
    ...response,
    headers: { ...securityHeaders, ...response.headers, 'x-request-id': requestId },
  };
}

type HttpRequest = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyResultV2>;

/** Errors → responses, and the request id and security headers on every response. */
export function httpResponses(): middy.MiddlewareObj<
  APIGatewayProxyEventV2,
  APIGatewayProxyResultV2
> {
  const after = async (request: HttpRequest) => {
    request.response = withStandardHeaders(request.response, requestIdOf(request.event));
  };
  const onError = async (request: HttpRequest) => {
    const err = request.error;
    const response = errorResponse(err);
    if (response.statusCode >= 500) {
      const { event } = request;
      logger.error('request failed', {
        method: event?.requestContext?.http?.method,
        path: event?.rawPath,
        error: err as Error,
      });
    }
    const earned = typeof err === 'object' && err !== null ? earnedHeaders.get(err) : undefined;
    const kept = { ...response, headers: { ...earned, ...response.headers } };
    request.response = withStandardHeaders(kept, requestIdOf(request.event));
  };
  return { after, onError };
}

export function httpHandler(
  run: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>,
) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(run)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(telemetryMiddlewares())
    .use(httpResponses());
}
