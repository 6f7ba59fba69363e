// One HTTP check of a dependency with node's fetch: the status, the start of the body (enough to
// match a health text) and the time to the full answer; a timeout or a refused connection is a
// failed probe with the reason, never an exception.
import type { ProbeAnswer, ProbeRequest } from '../../src/use-cases/probe-dependencies';

const MAX_BODY_CHARS = 64 * 1024;

export class HttpProber {
  constructor(private readonly now: () => number = () => performance.now()) {}

  async probe(request: ProbeRequest): Promise<ProbeAnswer> {
    const started = this.now();
    const elapsed = () => Math.round(this.now() - started);
    try {
      const res = await fetch(request.url, {
        method: request.method,
        headers: { 'user-agent': 'vigia-probe', ...request.headers },
        redirect: 'manual',
        signal: AbortSignal.timeout(request.timeoutMs),
      });
      const body = request.method === 'HEAD' ? '' : (await res.text()).slice(0, MAX_BODY_CHARS);
      return { kind: 'answered', status: res.status, body, latencyMs: elapsed() };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const error =
        e.name === 'TimeoutError' || e.name === 'AbortError'
          ? `no answer within ${request.timeoutMs} ms`
          : `no answer: ${e.cause?.code ?? e.message}`;
      return { kind: 'failed', error, latencyMs: elapsed() };
    }
  }
}
