// One SNS message, one Slack post, under DynamoDB faults: the notification log's writes go through
// the soak's fault-injecting proxy (bench/soak/fault-proxy.ts) in front of the emulator, which cuts,
// fails or throttles exactly the call a test names, as moto never does by itself.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FaultKind } from '../../bench/soak/fault-proxy';
import {
  deliverOnce,
  DeliveryInFlightError,
  type DeliveryOnce,
} from '../../lib/slack/deliver-once';
import { DynamoNotificationLog } from '../../lib/store/notification-log';
import { freshLocalStack, localAdapters } from '../support/local-aws';
import { scriptedFaults, type ScriptedFaults } from '../support/scripted-faults';

let faults: ScriptedFaults;
let log: DynamoNotificationLog;
let direct: DynamoNotificationLog;
let clockMs: number;

const once = (): DeliveryOnce => ({
  log,
  now: () => new Date(clockMs),
  sleep: () => Promise.resolve(),
});

/** Faults the next `n` calls of `op` on this delivery's log item, then lets them through. */
function failNext(op: string, n: number, fault: FaultKind, key: string) {
  let left = n;
  faults.script = (o, body) => {
    if (o !== op || !body.includes(`DELIVERY#${key}`) || left === 0) return null;
    left -= 1;
    return fault;
  };
}

beforeEach(async () => {
  const stack = await freshLocalStack();
  faults = await scriptedFaults(stack.endpoint);
  const through = faults.through;
  log = new DynamoNotificationLog(localAdapters(through, stack.tableName).table);
  direct = new DynamoNotificationLog(localAdapters(stack.endpoint, stack.tableName).table);
  clockMs = Date.parse('2026-12-02T12:00:00Z');
});

afterEach(async () => {
  await faults.stop();
});

/** The Slack side: how many times the message was posted. */
function slack() {
  const s = { posts: 0, post: () => Promise.resolve((s.posts += 1)) };
  return s;
}

/** SNS's deliveries of one message: the first, then its retries until one succeeds. */
async function deliverWithRetries(key: string, post: () => Promise<unknown>, times: number) {
  const outcomes: string[] = [];
  for (let i = 0; i < times; i++) {
    try {
      const r = await deliverOnce(once(), key, post);
      outcomes.push(r === 'duplicate' ? 'duplicate' : 'sent');
    } catch (err) {
      outcomes.push((err as Error).name);
    }
  }
  return outcomes;
}

describe('a Slack delivery under DynamoDB faults', () => {
  it('posts once when the claim landed but its answer was cut (not "in flight" forever)', async () => {
    failNext('dynamodb:PutItem', 1, 'cut-after', 'n1#slack');
    const s = slack();
    const outcomes = await deliverWithRetries('n1#slack', s.post, 3);
    expect(s.posts).toBe(1);
    expect(outcomes).toEqual(['sent', 'duplicate', 'duplicate']);
  });

  it('a claim whose every attempt failed after the first landed does not block the retry', async () => {
    let calls = 0;
    faults.script = (o, body) => {
      if (o !== 'dynamodb:PutItem' || !body.includes('DELIVERY#n2#slack') || calls >= 4)
        return null;
      calls += 1;
      return calls === 1 ? 'cut-after' : 'error';
    };
    const s = slack();
    const outcomes = await deliverWithRetries('n2#slack', s.post, 2);
    expect(outcomes).toEqual(['AwsAdapterError', 'sent']);
    expect(s.posts).toBe(1);
  });

  it('retries the mark, not the post, when marking it delivered fails', async () => {
    // The client's four attempts of the first mark are all throttled.
    failNext('dynamodb:UpdateItem', 4, 'throttle', 'n3#slack');
    const s = slack();
    const first = await deliverWithRetries('n3#slack', s.post, 1);
    expect(first).toEqual(['sent']);
    expect(await direct.isSent('DELIVERY#n3#slack')).toBe(true);
    // SNS redelivers well after any claim would have gone stale.
    clockMs += 10 * 60_000;
    expect(await deliverWithRetries('n3#slack', s.post, 1)).toEqual(['duplicate']);
    expect(s.posts).toBe(1);
  });

  it('a mark that cannot be written at all: the retry here does not post again', async () => {
    // Every attempt of every try of the mark is throttled: DynamoDB is down for this item.
    failNext('dynamodb:UpdateItem', 1_000, 'throttle', 'n7#slack');
    const s = slack();
    expect(await deliverWithRetries('n7#slack', s.post, 1)).toEqual(['sent']);
    faults.script = () => null;
    // SNS redelivers (a routed receiver failed) after the claim went stale.
    clockMs += 10 * 60_000;
    expect(await deliverWithRetries('n7#slack', s.post, 1)).toEqual(['duplicate']);
    expect(s.posts).toBe(1);
    expect(await direct.isSent('DELIVERY#n7#slack')).toBe(true);
  });

  it('a failed post whose release failed once is posted by the next retry', async () => {
    failNext('dynamodb:DeleteItem', 4, 'error', 'n4#slack');
    let fail = true;
    let posts = 0;
    const post = () => {
      if (fail) {
        fail = false;
        return Promise.reject(new Error('slack webhook unreachable'));
      }
      posts += 1;
      return Promise.resolve(posts);
    };
    const outcomes = await deliverWithRetries('n4#slack', post, 2);
    expect(outcomes).toEqual(['Error', 'sent']);
    expect(posts).toBe(1);
  });

  it('a late release does not drop the claim of the run that took a stale one over', async () => {
    let failA!: (err: Error) => void;
    const a = deliverOnce(
      once(),
      'n5#slack',
      () => new Promise<never>((_, reject) => (failA = reject)),
    ).catch((err: Error) => err.message);
    await new Promise((r) => setTimeout(r, 200));
    // Run A looks dead: past the stale window, run B takes its claim over and is posting.
    clockMs += 5 * 60_000;
    let finishB!: () => void;
    let posts = 0;
    const b = deliverOnce(once(), 'n5#slack', async () => {
      posts += 1;
      await new Promise<void>((r) => (finishB = r));
    });
    await new Promise((r) => setTimeout(r, 200));
    failA(new Error('slack webhook unreachable'));
    expect(await a).toBe('slack webhook unreachable');
    // A third delivery while B posts must wait, not post again.
    const c = await deliverOnce(once(), 'n5#slack', async () => {
      posts += 1;
    }).catch((err: unknown) => err);
    expect(c).toBeInstanceOf(DeliveryInFlightError);
    finishB();
    await b;
    expect(posts).toBe(1);
  });
});

it('the faults above reach the log (the proxy names calls service:operation)', async () => {
  failNext('dynamodb:PutItem', 1, 'cut-after', 'n6#slack');
  await deliverWithRetries('n6#slack', slack().post, 1);
  expect(faults.proxy.faults.get('cut-after')).toBe(1);
});

describe('the notification log without an owner (notify publishes through it)', () => {
  it('finds its own claim whose answer was cut claimed, not "in flight", and another run does not', async () => {
    let cut = false;
    faults.script = (o, body) => {
      if (o !== 'dynamodb:PutItem' || !body.includes('alert~n9') || cut) return null;
      cut = true;
      return 'cut-after';
    };
    const now = new Date(clockMs);
    const staleBefore = new Date(clockMs - 60_000);
    expect(await log.claim('alert~n9', now, staleBefore)).toBe('claimed');
    expect(cut).toBe(true);
    expect(await direct.claim('alert~n9', now, staleBefore)).toBe('in-flight');
  });
});
