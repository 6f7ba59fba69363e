// Routing per service and severity: which receivers hear an alert, what the configuration accepts,
// and the PagerDuty / Teams / Opsgenie payloads against their published schemas.
import { describe, expect, it } from 'vitest';
import {
  opsgenieCreateSchema,
  pagerDutyEventSchema,
  receiversFor,
  renderOpsgenie,
  renderPagerDuty,
  renderTeams,
  snsMessageAttributes,
  teamsMessageSchema,
} from '../../../src/alerting';
import { serviceSchema } from '../../../src/model';
import { aNotification, aService } from '../../support/builders';

const opened = aNotification();

describe('routing', () => {
  const teams = { type: 'teams', urlParameter: '/vigia/prod/notify/teams' } as const;
  const service = aService({
    notifications: {
      routes: [
        {
          severities: ['critical'],
          receivers: [{ type: 'sms', phoneNumber: '+34600111222' }, teams],
        },
        { severities: ['critical', 'warning'], receivers: [teams] },
      ],
    },
  });

  it('gives each receiver routed the severity once, and nobody when nothing is routed', () => {
    expect(receiversFor(service, 'critical').map((r) => r.type)).toEqual(['sms', 'teams']);
    expect(receiversFor(service, 'warning').map((r) => r.type)).toEqual(['teams']);
    expect(receiversFor(service, 'info')).toEqual([]);
    expect(receiversFor(aService(), 'critical')).toEqual([]);
  });

  it('takes secrets only as SSM parameters under /vigia/<stage>/notify/, and E.164 numbers', () => {
    const parse = (receiver: object) =>
      serviceSchema.safeParse({
        ...aService(),
        notifications: { routes: [{ severities: ['critical'], receivers: [receiver] }] },
      }).success;
    expect(parse({ type: 'pagerduty', routingKeyParameter: '/vigia/prod/notify/pd' })).toBe(true);
    expect(parse({ type: 'webhook', urlParameter: 'https://hooks.example.com/x' })).toBe(false);
    expect(parse({ type: 'slack', urlParameter: '/other/prod/notify/x' })).toBe(false);
    expect(parse({ type: 'sms', phoneNumber: '600111222' })).toBe(false);
    expect(parse({ type: 'fax', number: '1' })).toBe(false);
  });

  it('labels every SNS message with its route for the filter policies', () => {
    expect(snsMessageAttributes(opened).route).toBe('web:critical');
  });
});

describe('receiver payloads', () => {
  it('PagerDuty: trigger then resolve on the incident id', () => {
    const key = 'R0UT1NGKEY0123456789ABCDEFGHIJKL';
    const trigger = pagerDutyEventSchema.parse(renderPagerDuty(opened, key));
    const resolve = pagerDutyEventSchema.parse(
      renderPagerDuty({ ...opened, kind: 'resolved', phase: 'resolved' }, key),
    );
    expect(trigger).toMatchObject({ event_action: 'trigger', dedup_key: opened.incidentId });
    expect(resolve).toEqual({
      routing_key: key,
      event_action: 'resolve',
      dedup_key: opened.incidentId,
    });
  });

  it('Teams and Opsgenie match their schemas, long text cut to their limits', () => {
    const long = { ...opened, headline: 'x'.repeat(2000), actions: ['y'.repeat(5000)] };
    expect(teamsMessageSchema.safeParse(renderTeams(long)).success).toBe(true);
    expect(opsgenieCreateSchema.safeParse(renderOpsgenie(long).body).success).toBe(true);
  });
});
