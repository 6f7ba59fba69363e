// The public status report says who was paged for an escalated critical incident — the level and
// the receivers' kinds — and never a phone number, address or secret's parameter name.
import { describe, expect, it } from 'vitest';
import { openIncident } from '../../../src/alerting';
import { serviceStatus, statusIncidents } from '../../../src/use-cases/status-report';
import { anAnomaly, aService } from '../../support/builders';

const AT = '2026-03-02T10:00:00.000Z';

describe('who was paged, on the status report', () => {
  it('shows the last escalation level and the receivers by kind only', () => {
    const incident = openIncident(
      anAnomaly({ id: `web~${AT}~cpu`, serviceId: 'web', at: AT, severity: 'critical' }),
      new Date(AT),
    );
    const web = serviceStatus(aService(), null, [], [incident]);
    const pages = [
      { level: 0, at: AT, receivers: ['email:oncall@example.com'] },
      {
        level: 1,
        at: '2026-03-02T10:15:00.000Z',
        receivers: ['pagerduty:/vigia/prod/notify/pd-key', 'sms:+34600111222', 'sms:+34600999888'],
      },
    ];

    const [shown] = statusIncidents([web], [incident], new Map([[incident.id, pages]]));

    expect(shown!.paged).toEqual({
      level: 2,
      at: '2026-03-02T10:15:00.000Z',
      receivers: ['pagerduty', 'sms'],
    });
    expect(JSON.stringify(shown)).not.toMatch(/34600|pd-key|oncall@/);
  });

  it('shows nobody for an incident that never escalated', () => {
    const incident = openIncident(
      anAnomaly({ id: `web~${AT}~cpu`, serviceId: 'web', at: AT, severity: 'critical' }),
      new Date(AT),
    );
    const web = serviceStatus(aService(), null, [], [incident]);

    expect(statusIncidents([web], [incident])[0]!.paged).toBeNull();
  });
});
