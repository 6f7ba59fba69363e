// Limits a collector tick runs each service under: a time budget (one slow service must not hold up
// the minute) and a few re-runs when another tick saved the same models first.
import { ConflictError } from '../errors';

/** Rejects when `run` has not settled in time; the work goes on, but the tick no longer waits. */
export async function withinBudget<T>(
  ms: number,
  message: string,
  run: () => Promise<T>,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([run(), expired]);
  } finally {
    clearTimeout(timer);
  }
}

export async function withConflictRetry<T>(
  retries: number,
  run: (attempt: number) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run(attempt);
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= retries) throw err;
    }
  }
}
