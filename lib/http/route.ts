// The shape of one HTTP route of the api function: route modules under lib/http/routes/ export
// arrays of these; functions/api.ts routes, authenticates (scope) and validates around them.
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

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway style path, e.g. /services/{id}. */
  path: string;
  scope: Scope;
  handler(request: RouteRequest): Promise<HttpResult>;
}
