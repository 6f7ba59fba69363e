import { describe, expect, it } from 'vitest';
import {
  applyAnomaly,
  applyDecision,
  emptyAlertingState,
  flush,
  parseNotificationMessage,
  renderEmail,
  renderSlack,
  renderWebhook,
  snsPublish,
  validateBlockKit,
  type Notification,
} from '../../../src/alerting';
import { anomaly, at, config, decision } from '../../support/builders';

const cfg = config();

function openedMessage(metrics = 2): Notification {
  let state = emptyAlertingState();
  for (let k = 0; k < metrics; k += 1) {
    state = applyAnomaly(state, anomaly('checkout', `metric_${k}`, k, 'critical'), at(k), cfg);
  }
  state = applyDecision(state, decision('checkout', 3), at(3), cfg);
  return flush(state, at(60), cfg).messages[0]!;
}

describe('rendering', () => {
  it('the email subject is short, plain ASCII and names service and severity', () => {
    const email = renderEmail(openedMessage());
    expect(email.subject).toBe(
      '[CRITICAL] checkout: metric_0 and metric_1 out of their normal range',
    );
    expect(email.subject.length).toBeLessThanOrEqual(90);
    expect(email.subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('the email body says what happened, what vigia did, whether it worked, and links the status page', () => {
    const body = renderEmail(openedMessage()).body;
    expect(body.split('\n')[0]).toMatch(
      /^CRITICAL - checkout - incident opened, opened 10:00 UTC$/,
    );
    expect(body).toMatch(/What happened: metric_0 and metric_1/);
    expect(body).toMatch(/What vigia did: scaled out from 2 to 4 tasks/);
    expect(body).toMatch(/Did it work: scale-out: not verified yet/);
    expect(body).toMatch(/Status page: https:\/\/status\.example\.com\/#checkout/);
  });

  it('a long subject is cut to the SNS limit', () => {
    const n = { ...openedMessage(), headline: 'x'.repeat(300) + ' → done' };
    expect(renderEmail(n).subject.length).toBeLessThanOrEqual(90);
  });

  it('the Slack payload is valid Block Kit, even with many metrics and long text', () => {
    const n = openedMessage(8);
    const long = { ...n, headline: 'y'.repeat(5000), actions: ['z'.repeat(4000)] };
    for (const payload of [renderSlack(n), renderSlack(long)]) {
      expect(validateBlockKit(payload)).toEqual([]);
    }
    expect(renderSlack(n).blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'context',
    ]);
  });

  it('the Block Kit validator names what breaks the limits', () => {
    const errors = validateBlockKit({
      blocks: [
        { type: 'header', text: { type: 'mrkdwn', text: 'h'.repeat(151) } },
        {
          type: 'section',
          fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })),
        },
        { type: 'section' },
        ...Array.from({ length: 48 }, () => ({ type: 'divider' })),
      ],
    });
    expect(errors).toEqual([
      'blocks: 51 blocks, at most 50',
      'blocks[0].text.type: must be plain_text',
      'blocks[0].text.text: 151 characters, at most 150',
      'blocks[1].fields: 11 fields, at most 10',
      'blocks[2]: a section needs text or fields',
    ]);
  });

  it('SNS carries severity, service and kind attributes, and channels get the notification back', () => {
    const n = openedMessage();
    const publish = snsPublish(n);
    const structure = JSON.parse(publish.message) as { default: string; email: string };
    expect(publish.attributes).toEqual({
      severity: 'critical',
      service: 'checkout',
      kind: 'incident',
      route: 'checkout:critical',
    });
    expect(structure.email).toBe(renderEmail(n).body);
    expect(parseNotificationMessage(structure.default)).toEqual(n);
    expect(renderWebhook(n)).toMatchObject({ version: 'vigia.notification/v1', notification: n });
  });
});
