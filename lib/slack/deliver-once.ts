// Delivery to an outside receiver at most once per notification, although SNS delivers a message at
// least once and retries a whole invocation when one receiver fails: each (notification, receiver)
// is claimed in the notification log before posting, marked delivered after, released on failure.
import type { NotificationLog } from '../../src/ports';

/** A claim older than this belongs to a run that died mid-post: the next delivery takes it over. */
const STALE_CLAIM_MS = 2 * 60_000;

export interface DeliveryOnce {
  log: NotificationLog;
  now: () => Date;
}

export class DeliveryInFlightError extends Error {
  constructor(key: string) {
    super(`delivery ${key} is in flight in another invocation; SNS retries this one later`);
    this.name = 'DeliveryInFlightError';
  }
}

/** Runs `post` unless this receiver already has the notification; 'duplicate' when it had. */
export async function deliverOnce<T>(
  once: DeliveryOnce | undefined,
  key: string,
  post: () => Promise<T>,
): Promise<T | 'duplicate'> {
  if (!once) return post();
  const logKey = `DELIVERY#${key}`;
  const now = once.now();
  const claim = await once.log.claim(logKey, now, new Date(now.getTime() - STALE_CLAIM_MS));
  if (claim === 'already-sent') return 'duplicate';
  if (claim === 'in-flight') throw new DeliveryInFlightError(key);
  let result: T;
  try {
    result = await post();
  } catch (err) {
    await once.log.release(logKey).catch(() => undefined);
    throw err;
  }
  await once.log.markSent(logKey, 'delivered', once.now());
  return result;
}
