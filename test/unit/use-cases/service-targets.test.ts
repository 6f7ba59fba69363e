// What an admin key may point a vigia service at: only a cluster the scale role may act on, and no
// ECS service another vigia service already drives (SPEC C1; issue 11, blast radius).
import { describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../../src/errors';
import type { Service } from '../../../src/model';
import type { ServiceCataloguePorts, StoredServiceRecord } from '../../../src/ports';
import { registerService, replaceService } from '../../../src/use-cases/service-catalogue';
import { aService } from '../../support/builders';

const req = { requestId: 'req-1', requestedBy: 'api:admin', now: new Date('2026-11-22T10:00:00Z') };

function catalogue(extraClusters: string[] = []) {
  const declared = [aService({ id: 'web', ecs: { cluster: 'prod', service: 'web' } })];
  const stored = new Map<string, StoredServiceRecord>();
  const ports: ServiceCataloguePorts = {
    declared,
    extraClusters,
    registry: {
      list: async () => [
        ...declared.filter((s) => !stored.has(s.id)),
        ...[...stored.values()].map((r) => r.service),
      ],
    },
    overrides: {
      get: async (id) => stored.get(id) ?? null,
      async put(service: Service, expected: number | null) {
        const version = (expected ?? 0) + 1;
        stored.set(service.id, { service, version });
        return version;
      },
      async delete(id) {
        stored.delete(id);
      },
    },
    audit: { record: async () => {} },
  };
  return ports;
}

async function refusal(p: Promise<unknown>) {
  return p.then(
    () => null,
    (err: unknown) => err,
  );
}

describe('a service target', () => {
  it('refuses a second vigia service on an ECS service already driven, naming the other', async () => {
    const ports = catalogue();
    const err = await refusal(
      registerService(
        ports,
        aService({ id: 'shop', ecs: { cluster: 'prod', service: 'web' } }),
        req,
      ),
    );
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toContain("'web'");
  });

  it('refuses re-pointing a registered service at one already driven', async () => {
    const ports = catalogue();
    await registerService(
      ports,
      aService({ id: 'api', ecs: { cluster: 'prod', service: 'api' } }),
      req,
    );
    const err = await refusal(
      replaceService(
        ports,
        { id: 'api', service: aService({ id: 'api', ecs: { cluster: 'prod', service: 'web' } }) },
        req,
      ),
    );
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toContain("'web'");
  });

  it('refuses a cluster outside the declared and extra clusters, naming ecs.cluster', async () => {
    const ports = catalogue(['batch']);
    const err = await refusal(
      registerService(
        ports,
        aService({ id: 'x', ecs: { cluster: 'payments', service: 'x' } }),
        req,
      ),
    );
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path)).toEqual(['body.ecs.cluster']);
    const ok = await registerService(
      ports,
      aService({ id: 'y', ecs: { cluster: 'batch', service: 'y' } }),
      req,
    );
    expect(ok.ecs.cluster).toBe('batch');
  });

  it('lets a service keep its own target when it is replaced', async () => {
    const ports = catalogue();
    const v = await replaceService(
      ports,
      { id: 'web', service: aService({ id: 'web', maxTasks: 20 }) },
      req,
    );
    expect(v.maxTasks).toBe(20);
  });
});
