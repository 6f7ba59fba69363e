// The deadline of the work under way: a stream record gets the time its invocation has left (less
// a margin to report), and every AWS call made for it, through any client built here, is aborted
// when that runs out. Without it a call that hangs or keeps retrying (4 attempts of up to the
// request timeout each) outlives the invocation: Lambda's timeout then fails the whole batch as an
// invocation error instead of the one record. Aborting the calls is not always enough: work that
// waits on something else (CPU the container cannot get, a dependency that is no AWS client) would
// still run on past the timeout, so the wait for the work ends at the deadline too; what is left of
// it can make no AWS call (its signal is aborted).
import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';

const current = new AsyncLocalStorage<AbortSignal>();

/**
 * Calls in flight at once under one deadline, each listening for its abort (the SDK removes its
 * listener when the request closes): a scheduled run reads 8 services at once, each with parallel
 * reads of its own. Node warns of a leak past 10; this bound keeps the warning for a real leak.
 */
const CALLS_IN_FLIGHT = 200;

export class DeadlineError extends Error {
  constructor(ms: number) {
    super(`the invocation's time for this work ran out (${ms} ms)`);
    this.name = 'DeadlineError';
  }
}

/**
 * Runs `work` with its AWS calls aborted after `ms` milliseconds; rejects with a DeadlineError then
 * if the work has not ended.
 */
export async function withDeadline<T>(ms: number, work: () => Promise<T>): Promise<T> {
  const controller = new AbortController();
  setMaxListeners(CALLS_IN_FLIGHT, controller.signal);
  let timer: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        const error = new DeadlineError(ms);
        controller.abort(error);
        reject(error);
      },
      Math.max(0, ms),
    );
  });
  try {
    return await Promise.race([current.run(controller.signal, work), outOfTime]);
  } finally {
    clearTimeout(timer);
  }
}

type Send = (command: unknown, options?: unknown, callback?: unknown) => unknown;

/** Makes a client's `send` pass the current deadline's signal, unless the caller gave its own. */
export function boundToDeadline<C>(client: C): C {
  const c = client as unknown as { send?: Send };
  if (typeof c.send !== 'function') return client;
  const send = c.send.bind(client) as Send;
  c.send = (command, options, callback) => {
    const signal = current.getStore();
    const given = options as { abortSignal?: unknown } | undefined;
    if (signal === undefined || typeof options === 'function' || given?.abortSignal) {
      return send(command, options, callback);
    }
    return send(command, { ...given, abortSignal: signal }, callback);
  };
  return client;
}
