// Delivery to an outside receiver at most once per notification, although SNS delivers a message at
// least once and retries a whole invocation when one receiver fails: each (notification, receiver)
// is claimed in the notification log before posting, marked delivered after, released on failure.
// Each claim carries an owner token unique to this attempt, so a claim whose write landed but whose
// answer was lost is recognised as ours, and a late release never drops another run's takeover.
// Once the post went out, a failing mark is retried (never the post); if it still fails, this
// container remembers the post so a redelivery it receives marks instead of posting again.
import { randomUUID } from 'node:crypto';
import type { NotificationLog } from '../../src/ports';
import { logger } from '../logger';

/**
 * A claim older than this belongs to a run that died mid-post: the next delivery takes it over.
 * Longer than the slack function's timeout (60 s in serverless.yml): a live run never loses it.
 */
const STALE_CLAIM_MS = 2 * 60_000;

/** Writes to the log after the post (mark) or after a failed post (release): tries, pauses. */
const LOG_WRITE_ATTEMPTS = 4;
const LOG_WRITE_PAUSE_MS = 500;

export interface DeliveryOnce {
  log: NotificationLog;
  now: () => Date;
  /** Pause between retries of the log's writes (tests pass a quick one). */
  sleep?: (ms: number) => Promise<void>;
}

export class DeliveryInFlightError extends Error {
  constructor(key: string) {
    super(`delivery ${key} is in flight in another invocation; SNS retries this one later`);
    this.name = 'DeliveryInFlightError';
  }
}

/** Posted, but the mark could not be written: a redelivery here marks it and does not post. */
const postedUnmarked = new Set<string>();

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function withRetries(once: DeliveryOnce, write: () => Promise<void>): Promise<void> {
  const sleep = once.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      return;
    } catch (err) {
      if (attempt >= LOG_WRITE_ATTEMPTS) throw err;
      await sleep(LOG_WRITE_PAUSE_MS * attempt);
    }
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
  if (postedUnmarked.has(logKey)) {
    await markDelivered(once, logKey);
    return 'duplicate';
  }
  const owner = randomUUID();
  const now = once.now();
  let claim;
  try {
    claim = await once.log.claim(logKey, now, new Date(now.getTime() - STALE_CLAIM_MS), owner);
  } catch (err) {
    // The put may have landed although its answer never came: drop it, or every retry of this
    // notification would find it "in flight" until it goes stale.
    await withRetries(once, () => once.log.release(logKey, owner)).catch(() => undefined);
    throw err;
  }
  if (claim === 'already-sent') return 'duplicate';
  if (claim === 'in-flight') throw new DeliveryInFlightError(key);
  let result: T;
  try {
    result = await post();
  } catch (err) {
    await withRetries(once, () => once.log.release(logKey, owner)).catch((releaseErr: unknown) =>
      logger.warn('delivery claim not released; it is taken over once stale', {
        key,
        error: releaseErr as Error,
      }),
    );
    throw err;
  }
  await markDelivered(once, logKey);
  return result;
}

/** The post went out: failing to record it must not make SNS retry it (that would post again). */
async function markDelivered(once: DeliveryOnce, logKey: string): Promise<void> {
  try {
    await withRetries(once, () => once.log.markSent(logKey, 'delivered', once.now()));
    postedUnmarked.delete(logKey);
  } catch (err) {
    postedUnmarked.add(logKey);
    logger.error('delivered, but not recorded as delivered; a redelivery elsewhere may repeat it', {
      key: logKey,
      error: err as Error,
    });
  }
}
