// The topic's echo must not be lost quietly (issue 11): a Publish whose answer was lost is left
// unconfirmed, and alert-timers publishes it again 3 minutes later unless the echo came. When the
// slack function cannot write the echo, it fails the invocation after serving its receivers, so
// Lambda's retry (a minute later) records it in time and the email is not sent twice.
import type { SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoNotificationLog } from '../../lib/store/notification-log';
import { republishDeps } from '../../lib/wiring/alerting';
import { notificationLogKey, outboundMessage } from '../../src/use-cases/publish-notification';
import { ECHO_GRACE_MS, republishUnconfirmed } from '../../src/use-cases/republish-unconfirmed';
import { aNotification } from '../support/builders';
import {
  freshLocalStack,
  localAdapters,
  localConfig,
  useStackEnvironment,
} from '../support/local-aws';
import { scriptedFaults, type ScriptedFaults } from '../support/scripted-faults';
import { slackContext } from '../support/lambda-context';

let faults: ScriptedFaults;
let direct: DynamoNotificationLog;
let stack: Awaited<ReturnType<typeof freshLocalStack>>;

beforeAll(async () => {
  stack = await freshLocalStack();
  faults = await scriptedFaults(stack.endpoint);
  // The function under test talks to the table through the faults; the test reads it directly.
  useStackEnvironment({ ...stack, endpoint: faults.through });
  direct = new DynamoNotificationLog(localAdapters(stack.endpoint, stack.tableName).table);
});
afterAll(() => faults.stop());

describe('the slack function, when the echo cannot be written', () => {
  it('fails the invocation so that the retry records the echo before alert-timers republishes', async () => {
    // Prepare: notify published with no answer and no echo in its wait: the entry is unconfirmed.
    const notification = aNotification({ id: 'inc~web~2026-03-02T10:00:00.000Z~9' });
    const key = notificationLogKey(notification);
    const claimedAt = new Date();
    await direct.claim(key, claimedAt, new Date(0));
    await direct.markUnconfirmed(key, claimedAt, outboundMessage(notification), claimedAt, 1);
    const event = {
      Records: [
        {
          Sns: {
            MessageId: 'sns-9',
            Message: JSON.parse(outboundMessage(notification).body).default as string,
          },
        },
      ],
    } as unknown as SNSEvent;
    const { handler } = await import('../../functions/slack');

    // Act: the first invocation's echo writes all fail; Lambda's retry goes through.
    faults.script = (op, body) =>
      op === 'dynamodb:UpdateItem' && body.includes(`NOTIFY#${key}`) ? 'error' : null;
    const first = await handler(event, slackContext).then(
      () => 'ok',
      (err: Error) => err.message,
    );
    faults.script = () => null;
    const retry = await handler(event, slackContext);
    const later = { now: () => new Date(Date.now() + ECHO_GRACE_MS + 60_000) };
    const republish = await republishUnconfirmed({
      ...republishDeps(
        localConfig(faults.through, stack.tableName, { VIGIA_TOPIC_ARN: stack.topicArn }),
      ),
      clock: later,
    });

    // Assess
    expect(first).toContain('topic echo not recorded');
    expect(retry).toMatchObject({ delivered: 1 });
    expect(await direct.isSent(key)).toBe(true);
    expect(republish.republished).toEqual([]);
  });
});
