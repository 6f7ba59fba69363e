import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseFleetConfig } from '../../../src/model';
import { ValidationError } from '../../../src/errors';

const service = {
  id: 'web',
  name: 'Web',
  ecs: { cluster: 'prod', service: 'web' },
};

describe('the services config file', () => {
  it('accepts the file shipped in the repository and fills in defaults', () => {
    const services = parseFleetConfig(JSON.parse(readFileSync('config/services.json', 'utf8')));

    expect(services.map((s) => s.id)).toEqual(['web', 'api', 'worker']);
    expect(services[0]!.mode).toBe('auto');
  });

  it('fills in SPEC defaults for a minimal service', () => {
    const [s] = parseFleetConfig({ services: [service] });

    expect(s).toMatchObject({
      minTasks: 1,
      maxTasks: 10,
      targets: { cpu: 70, memory: 75 },
      type: 'web',
    });
  });

  it('names the field that is wrong', () => {
    const bad = { services: [{ ...service, ecs: { cluster: 'prod' }, maxTasks: 'ten' }] };

    const parse = () => parseFleetConfig(bad);

    expect(parse).toThrow(ValidationError);
    expect(parse).toThrow(/config\/services\.json is invalid: .*services\.0\.ecs\.service/);
    expect(parse).toThrow(/services\.0\.maxTasks/);
  });

  it('rejects min tasks above max tasks, unknown fields and duplicate ids', () => {
    expect(() =>
      parseFleetConfig({ services: [{ ...service, minTasks: 5, maxTasks: 2 }] }),
    ).toThrow(/services\.0\.minTasks: minTasks must not exceed maxTasks/);
    expect(() => parseFleetConfig({ services: [{ ...service, colour: 'red' }] })).toThrow(/colour/);
    expect(() => parseFleetConfig({ services: [service, service] })).toThrow(
      /service ids must be unique/,
    );
  });
});
