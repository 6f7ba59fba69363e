// Matches a request path against the routes' API Gateway style templates (/services/{id}).
import type { Route } from './route';

export type Match =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

function segments(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/** Params of the template in the path, or null when it does not match. Segments arrive decoded. */
export function matchTemplate(template: string, path: string): Record<string, string> | null {
  const want = segments(template);
  const got = segments(path);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith('{') && w.endsWith('}')) {
      let value: string;
      try {
        value = decodeURIComponent(g);
      } catch {
        return null;
      }
      params[w.slice(1, -1)] = value;
    } else if (w !== g) return null;
  }
  return params;
}

export function matchRoute(routes: readonly Route[], method: string, path: string): Match {
  const candidates = routes
    .map((route) => ({ route, params: matchTemplate(route.path, path) }))
    .filter((c): c is { route: Route; params: Record<string, string> } => c.params !== null)
    // A literal segment beats a parameter at the same place (/services/report vs /services/{id}).
    .sort((a, b) => paramCount(a.route.path) - paramCount(b.route.path));
  if (candidates.length === 0) return { kind: 'not-found' };
  const hit = candidates.find((c) => c.route.method === method);
  if (hit) return { kind: 'found', ...hit };
  return { kind: 'method-not-allowed', allow: [...new Set(candidates.map((c) => c.route.method))] };
}

function paramCount(template: string): number {
  return segments(template).filter((s) => s.startsWith('{')).length;
}
