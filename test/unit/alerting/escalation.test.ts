// When an unacknowledged critical incident pages its next escalation level.
import { describe, expect, it } from 'vitest';
import { dueEscalationLevel, receiverLabel } from '../../../src/alerting';
import type { Escalation } from '../../../src/model';

const escalation: Escalation = {
  afterMinutes: 10,
  levels: [
    [{ type: 'sms', phoneNumber: '+34600111222' }],
    [{ type: 'pagerduty', routingKeyParameter: '/vigia/p/notify/pd', apiUrl: 'https://e.example' }],
  ],
};
const at = (m: number) => new Date(Date.UTC(2026, 2, 2, 10, m));
const open = {
  status: 'open' as const,
  severity: 'critical' as const,
  acknowledgement: null,
  createdAt: at(0).toISOString(),
};
const page = (level: number, m: number) => ({ level, at: at(m).toISOString(), receivers: [] });

describe('escalation', () => {
  it('pages level 1 after afterMinutes, then the next, then the last again', () => {
    expect(dueEscalationLevel(open, escalation, null, at(9))).toBeNull();
    expect(dueEscalationLevel(open, escalation, null, at(10))).toBe(0);
    expect(dueEscalationLevel(open, escalation, { pages: [page(0, 10)] }, at(19))).toBeNull();
    expect(dueEscalationLevel(open, escalation, { pages: [page(0, 10)] }, at(20))).toBe(1);
    expect(
      dueEscalationLevel(open, escalation, { pages: [page(0, 10), page(1, 20)] }, at(30)),
    ).toBe(1);
  });

  it('stops for an acknowledged, resolved or non-critical incident', () => {
    const ack = { by: 'alice', at: at(5).toISOString(), comment: '' };
    expect(
      dueEscalationLevel({ ...open, acknowledgement: ack }, escalation, null, at(30)),
    ).toBeNull();
    expect(
      dueEscalationLevel({ ...open, status: 'resolved' }, escalation, null, at(30)),
    ).toBeNull();
    expect(
      dueEscalationLevel({ ...open, severity: 'warning' }, escalation, null, at(30)),
    ).toBeNull();
  });

  it('names who was paged without a secret', () => {
    expect(escalation.levels.flat().map(receiverLabel)).toEqual([
      'sms:+34600111222',
      'pagerduty:/vigia/p/notify/pd',
    ]);
  });
});
