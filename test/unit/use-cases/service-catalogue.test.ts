// The service catalogue over an in-memory override store: declared, registered and overridden
// services, versions checked on every write (If-Match), and declared services that cannot go.
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/errors';
import type { Service } from '../../../src/model';
import type { AuditEntry, ServiceCataloguePorts, StoredServiceRecord } from '../../../src/ports';
import {
  getService,
  listServices,
  registerService,
  removeService,
  replaceService,
  setServiceMode,
} from '../../../src/use-cases/service-catalogue';
import { aService } from '../../support/builders';

const req = { requestId: 'req-1', requestedBy: 'api:admin', now: new Date('2026-11-22T10:00:00Z') };

function catalogue() {
  const declared = [aService({ id: 'web', name: 'Web' })];
  const stored = new Map<string, StoredServiceRecord>();
  const audits: AuditEntry[] = [];
  const ports: ServiceCataloguePorts = {
    declared,
    registry: {
      list: async () => {
        const ids = new Set([...declared.map((s) => s.id), ...stored.keys()]);
        return [...ids].map((id) => stored.get(id)?.service ?? declared.find((s) => s.id === id)!);
      },
    },
    overrides: {
      get: async (id) => stored.get(id) ?? null,
      async put(service: Service, expected: number | null) {
        const at = stored.get(service.id)?.version ?? null;
        if (at !== expected) throw new ConflictError(`version ${at}, not ${expected}`);
        const version = (expected ?? 0) + 1;
        stored.set(service.id, { service, version });
        return version;
      },
      async delete(id, expected) {
        if (stored.get(id)?.version !== expected) throw new ConflictError('changed');
        stored.delete(id);
      },
    },
    audit: { record: async (e) => void audits.push(e) },
  };
  return { ports, audits };
}

describe('service catalogue', () => {
  it('lists declared and registered services with their source and version', async () => {
    const { ports, audits } = catalogue();
    const api = await registerService(
      ports,
      aService({ id: 'api', name: 'API', ecs: { cluster: 'prod', service: 'api' } }),
      req,
    );
    expect(api).toMatchObject({ id: 'api', source: 'api', version: 1 });
    expect(audits).toEqual([expect.objectContaining({ type: 'service-create', serviceId: 'api' })]);
    const all = await listServices(ports);
    expect(all.map((s) => [s.id, s.source, s.version])).toEqual([
      ['web', 'config', 0],
      ['api', 'api', 1],
    ]);
  });

  it('refuses to register over a declared service, and to delete one', async () => {
    const { ports } = catalogue();
    await expect(registerService(ports, aService({ id: 'web' }), req)).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(removeService(ports, 'web', undefined, req)).rejects.toBeInstanceOf(ConflictError);
  });

  it('overrides a declared service, checks If-Match, and reverts to the file on delete', async () => {
    const { ports, audits } = catalogue();
    const over = await replaceService(
      ports,
      { id: 'web', service: aService({ id: 'web', maxTasks: 20 }) },
      req,
    );
    expect(over).toMatchObject({ source: 'config-override', version: 1, maxTasks: 20 });
    const stale = replaceService(
      ports,
      { id: 'web', service: aService({ id: 'web' }), ifMatch: '"0"' },
      req,
    );
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    const bad = replaceService(
      ports,
      { id: 'web', service: aService({ id: 'web' }), ifMatch: 'soon' },
      req,
    );
    await expect(bad).rejects.toMatchObject({ issues: [{ path: 'headers.if-match' }] });
    await removeService(ports, 'web', '"1"', req);
    expect(await getService(ports, 'web')).toMatchObject({ source: 'config', maxTasks: 10 });
    expect(audits.map((a) => a.detail)).toEqual(['replaced web', 'removed the override of web']);
  });

  it('refuses a body whose id is not the one addressed', async () => {
    const { ports } = catalogue();
    await expect(
      replaceService(ports, { id: 'web', service: aService({ id: 'api' }) }, req),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('sets the mode, auditing the change', async () => {
    const { ports, audits } = catalogue();
    const v = await setServiceMode(ports, 'web', 'dry-run', req);
    expect(v).toMatchObject({ mode: 'dry-run', source: 'config-override', version: 1 });
    expect(audits[0]!.detail).toMatch(/→ dry-run$/);
    await expect(setServiceMode(ports, 'nope', 'off', req)).rejects.toBeInstanceOf(NotFoundError);
  });
});
