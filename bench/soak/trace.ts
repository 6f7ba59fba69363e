// Where the soak's wall time goes. Each piece of work the harness starts (a stream consumer's
// delivery, a scheduled function, the operator, the slack function) runs under a name; every HTTP
// attempt an AWS SDK client makes under it carries that name to the fault proxy (a header moto
// ignores) and is timed here. The proxy adds, per name and call, moto's time and the delay it
// injected; what a name's wall time holds beyond its attempts is the SDK's retry back-off and the
// handler's own work (BENCHMARKS.md, "Soak", session 9).
import { AsyncLocalStorage } from 'node:async_hooks';
// The AWS SDK's own HTTP handler (a dependency of every @aws-sdk client, one module instance).
import { NodeHttpHandler } from '@smithy/node-http-handler';

export const WORK_HEADER = 'x-soak-work';

const current = new AsyncLocalStorage<string>();

export interface WorkTime {
  /** Wall time spent inside `traced` under this name (overlapping runs each count). */
  wallMs: number;
  runs: number;
  /** SDK attempts (HTTP requests) and their wall time, by outcome. */
  attempts: number;
  attemptMs: number;
  /** Attempts the client gave up on at its request timeout (or aborted), and their time. */
  timedOut: number;
  timedOutMs: number;
}

export const workTimes = new Map<string, WorkTime>();

function entry(name: string): WorkTime {
  let w = workTimes.get(name);
  if (!w) {
    w = { wallMs: 0, runs: 0, attempts: 0, attemptMs: 0, timedOut: 0, timedOutMs: 0 };
    workTimes.set(name, w);
  }
  return w;
}

/** Runs `work` under `name`: its SDK attempts are counted to it, here and at the proxy. */
export async function traced<T>(name: string, work: () => Promise<T>): Promise<T> {
  const t = Date.now();
  try {
    return await current.run(name, work);
  } finally {
    const w = entry(name);
    w.wallMs += Date.now() - t;
    w.runs += 1;
  }
}

let installed = false;

/** Wraps every SDK client's HTTP handler (one module instance serves them all). */
export function installAttemptTracing() {
  if (installed) return;
  installed = true;
  const proto = NodeHttpHandler.prototype as unknown as {
    handle: (request: { headers: Record<string, string> }, options?: unknown) => Promise<unknown>;
  };
  const handle = proto.handle;
  proto.handle = async function (request, options) {
    const name = current.getStore() ?? 'other';
    request.headers[WORK_HEADER] = name;
    const w = entry(name);
    const t = Date.now();
    w.attempts += 1;
    try {
      return await handle.call(this, request, options);
    } catch (err) {
      const e = err as { name?: string; code?: string };
      if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'ETIMEDOUT') {
        w.timedOut += 1;
        w.timedOutMs += Date.now() - t;
      }
      throw err;
    } finally {
      w.attemptMs += Date.now() - t;
    }
  };
}

export function workReport(): Record<string, Record<string, number>> {
  return Object.fromEntries(
    [...workTimes]
      .sort((a, b) => b[1].wallMs - a[1].wallMs)
      .map(([name, w]) => [
        name,
        {
          wallS: Math.round(w.wallMs / 1000),
          runs: w.runs,
          attempts: w.attempts,
          attemptS: Math.round(w.attemptMs / 1000),
          timedOut: w.timedOut,
          timedOutS: Math.round(w.timedOutMs / 1000),
        },
      ]),
  );
}
