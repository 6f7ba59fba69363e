// A Publish SNS accepted whose answer was lost on the way back (issue 11, bench:soak's
// duplicateMessages): the SDK used to send it again, so every subscriber — email too — got the alert
// twice. Publish is now sent once; an unanswered one waits for the topic's echo (the slack function,
// subscribed to the topic, marks each message it receives in the notification log). With no echo in
// that short wait it is left 'unconfirmed', and alert-timers sends it again only when no echo came
// within a few minutes: an alert that never reached SNS is late, not lost, and one whose echo was
// merely slow is not sent twice.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SNSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TopicEcho } from '../../lib/sns/topic-echo';
import { alertDeps, republishDeps } from '../../lib/wiring/alerting';
import type { Notification } from '../../src/alerting';
import { notificationLogKey, publishNotification } from '../../src/use-cases/publish-notification';
import { ECHO_GRACE_MS, republishUnconfirmed } from '../../src/use-cases/republish-unconfirmed';
import { FleetWatch, type InboxMessage } from '../../scripts/lib/fleet-watch';
import { aNotification } from '../support/builders';
import { freshLocalStack, localConfig, useStackEnvironment } from '../support/local-aws';
import { slackContext } from '../support/lambda-context';

let stack: Awaited<ReturnType<typeof freshLocalStack>>;
let proxy: Server | undefined;

/** Forwards every call to the emulator; the first `faults` Publish calls are cut. */
async function lossyProxy(target: string, mode: 'answer-lost' | 'never-sent', faults: number) {
  const seen = { publish: 0 };
  let left = faults;
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isPublish = new URLSearchParams(body.toString('utf8')).get('Action') === 'Publish';
      const cut = isPublish && left-- > 0;
      if (cut && mode === 'never-sent') return req.socket.destroy();
      if (isPublish) seen.publish += 1;
      const url = new URL(req.url ?? '/', target);
      const upstream = request(url, { method: req.method, headers: req.headers }, (answer) => {
        const out: Buffer[] = [];
        answer.on('data', (c: Buffer) => out.push(c));
        answer.on('end', () => {
          if (cut) return req.socket.destroy(); // published, answer lost
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(out));
        });
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, seen };
}

/**
 * The topic's Lambda subscriber: the real slack function, fed what SNS delivered (read from the
 * stack's inbox queue, subscribed to the same topic) until stopped.
 */
function topicSubscriber() {
  const delivered: InboxMessage[] = [];
  let running = true;
  const loop = (async () => {
    const { handler } = await import('../../functions/slack');
    const watch = new FleetWatch(stack.endpoint, stack.tableName, stack.inboxQueueUrl);
    while (running) {
      for (const m of await watch.receive(1)) {
        delivered.push(m);
        const event = {
          Records: [{ Sns: { MessageId: `m-${delivered.length}`, Message: m.message } }],
        } as unknown as SNSEvent;
        await handler(event, slackContext);
      }
    }
  })();
  return {
    delivered,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

function notification(n: number): Notification {
  return aNotification({
    id: `inc~web~2026-03-02T10:00:00.000Z~${n}`,
    metrics: [
      { metric: 'cpu', severity: 'critical', explanation: 'cpu 97.0 is far above its usual 40.0' },
    ],
  });
}

beforeAll(async () => {
  stack = await freshLocalStack();
  useStackEnvironment(stack);
});
afterEach(() => new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r())));
afterAll(() => {
  proxy = undefined;
});

describe('a Publish whose answer was lost', () => {
  it('reaches the topic once: the echo of the topic settles it, and a retry of the record sends nothing', async () => {
    const { url, seen } = await lossyProxy(stack.endpoint, 'answer-lost', 1);
    const deps = alertDeps(localConfig(url, stack.tableName, { VIGIA_TOPIC_ARN: stack.topicArn }));
    const subscriber = topicSubscriber();
    try {
      const first = await publishNotification(deps, notification(1));
      const retry = await publishNotification(deps, notification(1));
      await new Promise((r) => setTimeout(r, 1_500));

      expect(first).toBe('published');
      expect(retry).toBe('duplicate');
      expect(seen.publish).toBe(1);
      expect(subscriber.delivered).toHaveLength(1);
    } finally {
      await subscriber.stop();
    }
  }, 30_000);

  it('that never reached SNS is left unconfirmed, then sent again by alert-timers once no echo came', async () => {
    const { url, seen } = await lossyProxy(stack.endpoint, 'never-sent', 1);
    const config = localConfig(url, stack.tableName, { VIGIA_TOPIC_ARN: stack.topicArn });
    const deps = alertDeps(config);
    const subscriber = topicSubscriber();
    try {
      const outcome = await publishNotification(deps, notification(2));
      const retry = await publishNotification(deps, notification(2));
      const minutes = (m: number) => ({ now: () => new Date(Date.now() + m * 60_000) });
      const early = await republishUnconfirmed({ ...republishDeps(config), clock: minutes(1) });
      const due = await republishUnconfirmed({
        ...republishDeps(config),
        clock: minutes(ECHO_GRACE_MS / 60_000 + 1),
      });
      await new Promise((r) => setTimeout(r, 1_500));

      expect([outcome, retry]).toEqual(['published', 'duplicate']);
      expect(early.republished).toEqual([]);
      expect(due.republished).toEqual([notificationLogKey(notification(2))]);
      expect(seen.publish).toBe(1);
      expect(subscriber.delivered).toHaveLength(1);
      expect(
        await deps.log.claim(notificationLogKey(notification(2)), new Date(), new Date(0)),
      ).toBe('already-sent');
    } finally {
      await subscriber.stop();
    }
  }, 30_000);

  it('whose echo came after the wait is not sent again by alert-timers: one email', async () => {
    const { url, seen } = await lossyProxy(stack.endpoint, 'answer-lost', 1);
    const config = localConfig(url, stack.tableName, { VIGIA_TOPIC_ARN: stack.topicArn });
    // The subscriber is not running during the publisher's (shortened) wait: its echo comes late.
    const deps = { ...alertDeps(config), echo: new TopicEcho(alertDeps(config).log, 300) };
    const outcome = await publishNotification(deps, notification(3));
    const subscriber = topicSubscriber();
    try {
      await new Promise((r) => setTimeout(r, 2_000));
      const later = { now: () => new Date(Date.now() + ECHO_GRACE_MS + 60_000) };
      const result = await republishUnconfirmed({ ...republishDeps(config), clock: later });
      await new Promise((r) => setTimeout(r, 1_500));

      expect(outcome).toBe('published');
      expect(result.republished).toEqual([]);
      expect(seen.publish).toBe(1);
      expect(subscriber.delivered).toHaveLength(1);
    } finally {
      await subscriber.stop();
    }
  }, 30_000);
});
