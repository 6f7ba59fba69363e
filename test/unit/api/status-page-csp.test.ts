// The status page's Content-Security-Policy: its one inline script runs by its hash (no
// 'unsafe-inline' scripts, so an injected one would not), and no other site may frame the page.
// test/e2e/api-status-page.test.ts shows the page still working under it in a real Chromium.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { statusRoutes } from '../../../lib/http/routes/status';
import type { RouteRequest } from '../../../lib/http/route';

async function page() {
  const route = statusRoutes.find((r) => r.method === 'GET' && r.path === '/')!;
  return route.handler({} as RouteRequest);
}

describe('the status page CSP', () => {
  it('allows scripts only by the hash of the page’s own script, and forbids framing', async () => {
    const r = await page();
    const csp = r.headers?.['content-security-policy'] ?? '';
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    expect(directives['frame-ancestors']).toBe("'none'");
    expect(directives['script-src']).not.toContain('unsafe-inline');
    const scripts = [...r.body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]!, 'utf8').digest('base64');
    expect(directives['script-src']).toBe(`'sha256-${hash}'`);
  });
});
