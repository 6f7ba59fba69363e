// The shape of one HTTP route of the api function: route modules under lib/http/routes/ export
// arrays of these; the pipeline (lib/http/api-pipeline.ts) routes, authenticates (scope) and
// validates around them.
import type { z } from 'zod';
import type { OperatorRequest } from '../../src/ports';
import type { HttpResult } from '../middleware/http';

/** public: no key needed; read < operate < admin. */
export type Scope = 'public' | 'read' | 'operate' | 'admin';

export interface Principal {
  keyId: string;
  name: string;
  scopes: Scope[];
}

export interface RouteRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  headers: Record<string, string | undefined>;
  /** The parsed JSON body (undefined when there is none). */
  body: unknown;
  principal: Principal | null;
  now: Date;
  requestId: string;
}

/** Schemas the pipeline checks before the handler runs; they also make the OpenAPI document. */
export interface RouteSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  /** A route with a body schema requires a JSON body (415 otherwise). */
  body?: z.ZodType;
  /** Headers the route reads (lower-case names, a loose object: other headers pass). */
  headers?: z.ZodType;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway style path, e.g. /services/{id}. */
  path: string;
  scope: Scope;
  summary?: string;
  request?: RouteSchemas;
  /** Response status → description, for the OpenAPI document. */
  responses?: Record<number, string>;
  handler(request: RouteRequest): Promise<HttpResult>;
}

/** Who asked and when, as the API's use cases stamp it on audit entries. */
export function operatorRequest(
  req: Pick<RouteRequest, 'requestId' | 'principal' | 'now'>,
): OperatorRequest {
  return {
    requestId: req.requestId,
    requestedBy: `api:${req.principal?.name ?? 'anonymous'}`,
    now: req.now,
  };
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface TypedRequest<P, Q, B> extends Omit<RouteRequest, 'params' | 'query' | 'body'> {
  params: P;
  query: Q;
  body: B;
}

/** A route whose handler sees the parsed (typed) params, query and body. */
export function defineRoute<S extends RouteSchemas>(
  route: Omit<Route, 'handler' | 'request'> & {
    request?: S;
    handler(
      request: TypedRequest<
        S['params'] extends z.ZodType ? z.output<S['params']> : Record<string, string>,
        S['query'] extends z.ZodType ? z.output<S['query']> : Record<string, string | undefined>,
        Out<S['body']>
      >,
    ): Promise<HttpResult>;
  },
): Route {
  return route as unknown as Route;
}
