// Runbooks in a service's configuration (SPEC X7): a policy may allow only runbooks the service
// declares, the HTTPS endpoint must be https, and templates fill from the decision or name the
// field they do not know.
import { describe, expect, it } from 'vitest';
import {
  automationParameters,
  fillTemplate,
  serviceSchema,
  type RunbookContext,
} from '../../../src/model';
import { apiRequest } from '../../support/api-get';

const service = {
  id: 'web',
  name: 'Web',
  ecs: { cluster: 'prod', service: 'web' },
  runbooks: {
    'purge-redis': {
      kind: 'ssm-automation',
      document: 'vigia-PurgeRedis',
      parameters: { ClusterId: 'cache-{{serviceId}}' },
    },
  },
  policies: [{ name: 'purge', when: 'memory > 90%', actions: ['runbook:purge-redis', 'notify'] }],
};

const context: RunbookContext = {
  serviceId: 'web',
  decisionId: 'web~2026-03-02T10:00:00.000Z~cpu~decision',
  incidentId: 'inc~web~2026-03-02T10:00:00.000Z',
  anomalyId: 'web~2026-03-02T10:00:00.000Z~cpu',
  action: 'runbook:purge-redis',
  metric: 'cpu',
  value: 93.5,
  diagnosis: 'overload',
  reason: 'overload; policy purge',
  requestedBy: 'vigia:decide',
  cluster: 'prod',
  ecsService: 'web',
};

describe('runbooks in a service', () => {
  it('accepts a policy allowing a declared runbook', () => {
    const parsed = serviceSchema.parse(service);
    expect(parsed.policies[0]!.actions).toEqual(['runbook:purge-redis', 'notify']);
    expect(parsed.runbooks['purge-redis']).toMatchObject({ kind: 'ssm-automation' });
  });

  it('refuses a policy naming a runbook the service does not declare, on the field', () => {
    const r = serviceSchema.safeParse({
      ...service,
      policies: [
        { name: 'purge', when: 'memory > 90%', actions: ['notify', 'runbook:purge-reds'] },
      ],
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues).toEqual([
      expect.objectContaining({
        path: ['policies', 0, 'actions', 1],
        message: "names runbook 'purge-reds', which this service's runbooks do not declare",
      }),
    ]);
  });

  it('answers POST /services with 400 naming the policy field', async () => {
    const r = await apiRequest('POST', '/services', {
      now: new Date('2026-03-02T10:00:00Z'),
      scopes: ['admin'],
      body: {
        ...service,
        policies: [{ name: 'purge', when: 'memory > 90%', actions: ['runbook:nope'] }],
      },
    });
    expect(r.status).toBe(400);
    expect(r.json.issues).toEqual([
      {
        path: 'body.policies.0.actions.0',
        message: "names runbook 'nope', which this service's runbooks do not declare",
      },
    ]);
  });

  it('wants https for an HTTPS runbook, plain http only to this machine', () => {
    const https = (url: string) =>
      serviceSchema.safeParse({
        ...service,
        runbooks: { hook: { kind: 'https', url, secretParameter: '/vigia/runbooks/hook' } },
        policies: [],
      }).success;
    expect(https('https://runbooks.example.com/purge')).toBe(true);
    expect(https('http://127.0.0.1:8080/purge')).toBe(true);
    expect(https('http://runbooks.example.com/purge')).toBe(false);
  });
});

describe('runbook templates', () => {
  it('fill placeholders from the decision, a whole placeholder keeping its type', () => {
    expect(
      fillTemplate(
        { note: '{{diagnosis}} on {{ metric }}', value: '{{value}}', list: ['{{incidentId}}', 3] },
        context,
      ),
    ).toEqual({
      note: 'overload on cpu',
      value: 93.5,
      list: ['inc~web~2026-03-02T10:00:00.000Z', 3],
    });
  });

  it('name a placeholder they do not know instead of sending it blank', () => {
    expect(() => fillTemplate('{{incident}}', context)).toThrow(
      /runbook template names '\{\{incident\}\}', not one of serviceId, decisionId/,
    );
  });

  it('give SSM Automation lists of strings', () => {
    expect(
      automationParameters(
        { ClusterId: 'cache-{{serviceId}}', Values: ['{{value}}', 'x'] },
        context,
      ),
    ).toEqual({ ClusterId: ['cache-web'], Values: ['93.5', 'x'] });
  });
});
