// The api function's request pipeline: route → authenticate (scope) → rate limit → size and media
// type → zod validation of params, query and body → handler. Every refusal is a typed error thrown
// before the handler runs, so a rejected request writes nothing; lib/middleware/http.ts alone turns
// errors into responses.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import {
  ForbiddenError,
  MethodNotAllowedError,
  NoRouteError,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../src/errors';
import { httpHandler, keepHeadersOnError, type HttpResult } from '../middleware/http';
import type { Principal, Route, RouteRequest, Scope } from './route';
import { matchRoute } from './router';

export const MAX_BODY_BYTES = 64 * 1024;

export interface AuthenticatedPrincipal extends Principal {
  rateLimitPerMinute: number | null;
}

export interface PipelineDeps {
  authenticate(key: string): Promise<AuthenticatedPrincipal | null>;
  rateLimit(
    principal: AuthenticatedPrincipal,
    now: Date,
  ): Promise<{ allowed: boolean; retryAfterSeconds: number; remaining: number }>;
  /** The limit of a request without a key (public routes), per source IP. */
  rateLimitAnonymous?(
    sourceIp: string,
    now: Date,
  ): Promise<{ allowed: boolean; retryAfterSeconds: number; remaining: number }>;
  now(): Date;
}

const rank: Record<Scope, number> = { public: 0, read: 1, operate: 2, admin: 3 };

/** Scopes are ordered: a key holding admin may do what operate and read may. */
export function hasScope(principal: Principal | null, needed: Scope): boolean {
  if (needed === 'public') return true;
  if (!principal) return false;
  return principal.scopes.some((s) => rank[s] >= rank[needed]);
}

function lowerHeaders(h: Record<string, string | undefined> | undefined) {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = v;
  return out;
}

type Issue = { path: string; message: string };

function check(
  schema: z.ZodType | undefined,
  value: unknown,
  part: string,
  issues: Issue[],
): unknown {
  if (!schema) return value;
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const issue of r.error.issues) {
    const path = issue.path.map(String).join('.');
    issues.push({ path: path ? `${part}.${path}` : part, message: issue.message });
  }
  return undefined;
}

function readBody(event: APIGatewayProxyEventV2, headers: Record<string, string | undefined>) {
  // serverless offline hands over a JSON body that parses to false or 0 as that value, not as text.
  const given: unknown = event.body ?? '';
  const raw = typeof given === 'string' ? given : JSON.stringify(given);
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(MAX_BODY_BYTES);
  }
  if (text.trim() === '') return undefined;
  const type = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new UnsupportedMediaTypeError(type);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ValidationError('body is not valid JSON', [
      { path: 'body', message: `not valid JSON: ${(err as Error).message}` },
    ]);
  }
}

/** The pipeline alone: it throws refusals and handler errors; see apiHandler for responses. */
export function createApiPipeline(routes: readonly Route[], deps: PipelineDeps) {
  return async function handle(event: APIGatewayProxyEventV2): Promise<HttpResult> {
    const requestId = event.requestContext?.requestId ?? 'local';
    const method = (event.requestContext?.http?.method ?? 'GET').toUpperCase();
    const rawPath = event.rawPath || '/';
    const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, '') : rawPath;
    const match = matchRoute(routes, method, path);
    if (match.kind === 'not-found') throw new NoRouteError(method, path);
    if (match.kind === 'method-not-allowed') {
      throw new MethodNotAllowedError(method, path, match.allow);
    }
    const { route } = match;
    const headers = lowerHeaders(event.headers);
    const now = deps.now();

    // The same key as `Authorization: Bearer`, the way Prometheus (and most clients) send a token.
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
    const key = headers['x-api-key'] ?? bearer;
    let principal: AuthenticatedPrincipal | null = null;
    if (key !== undefined) {
      principal = await deps.authenticate(key.trim());
      if (!principal) {
        const sent = headers['x-api-key'] !== undefined ? 'X-API-Key' : 'bearer token';
        throw new UnauthorizedError(`the ${sent} is not valid`);
      }
    }
    if (route.scope !== 'public' && !principal) throw new UnauthorizedError();
    // An authenticated request counts against its key's limit before any other refusal, and every
    // answer to it, 4xx and 429 included, tells the client how much it has left (docs/api.md). One
    // without a key (a public route) counts against its source IP's limit.
    let rateHeaders: Record<string, string> = {};
    const sourceIp = event.requestContext?.http?.sourceIp;
    const rate = principal
      ? await deps.rateLimit(principal, now)
      : sourceIp && deps.rateLimitAnonymous
        ? await deps.rateLimitAnonymous(sourceIp, now)
        : null;
    if (rate) {
      rateHeaders = { 'x-ratelimit-remaining': String(rate.allowed ? rate.remaining : 0) };
      if (!rate.allowed) {
        const refused = new RateLimitedError(rate.retryAfterSeconds);
        keepHeadersOnError(refused, rateHeaders);
        throw refused;
      }
    }
    try {
      const at = { method, path, requestId, now };
      const result = await runRoute(route, match.params, event, headers, principal, at);
      return { ...result, headers: { ...rateHeaders, ...result.headers } };
    } catch (err) {
      keepHeadersOnError(err, rateHeaders);
      throw err;
    }
  };
}

async function runRoute(
  route: Route,
  matched: Record<string, string>,
  event: APIGatewayProxyEventV2,
  headers: Record<string, string | undefined>,
  principal: AuthenticatedPrincipal | null,
  at: { method: string; path: string; requestId: string; now: Date },
): Promise<HttpResult> {
  if (!hasScope(principal, route.scope)) throw new ForbiddenError(route.scope);
  const schemas = route.request ?? {};
  const rawBody = readBody(event, headers);
  const issues: Issue[] = [];
  const params = check(schemas.params, matched, 'params', issues);
  const query = check(schemas.query, { ...(event.queryStringParameters ?? {}) }, 'query', issues);
  const body = check(schemas.body, rawBody, 'body', issues);
  check(schemas.headers, headers, 'headers', issues);
  if (issues.length > 0) {
    const detail = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new ValidationError(`request is invalid: ${detail}`, issues);
  }

  const request: RouteRequest = {
    method: at.method,
    path: at.path,
    params: params as Record<string, string>,
    query: query as Record<string, string | undefined>,
    headers,
    body,
    principal: principal
      ? { keyId: principal.keyId, name: principal.name, scopes: principal.scopes }
      : null,
    now: at.now,
    requestId: at.requestId,
  };
  return route.handler(request);
}

/** The api function's handler: the pipeline inside the HTTP middleware (errors, request id). */
export function apiHandler(routes: readonly Route[], deps: PipelineDeps) {
  const pipeline = createApiPipeline(routes, deps);
  return httpHandler((event: APIGatewayProxyEventV2) => pipeline(event));
}
