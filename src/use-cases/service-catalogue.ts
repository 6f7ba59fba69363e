// The service catalogue (SPEC C1, A3): services declared in config/services.json, registered
// through the API, or declared and overridden through the API (the override wins; removing it
// reverts to the file). Declared services cannot be removed: the file is their source of truth.
// Every write is conditional on the version the caller last saw (If-Match) or the one just read.
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { AutopilotMode, Service } from '../model';
import type { OperatorRequest, ServiceCataloguePorts } from '../ports';
import { operatorAuditEntry } from './operator-audit';

export type ServiceSource = 'config' | 'api' | 'config-override';

export type ServiceView = Service & { source: ServiceSource; version: number };

function declared(ports: ServiceCataloguePorts, id: string): Service | undefined {
  return ports.declared.find((s) => s.id === id);
}

async function current(ports: ServiceCataloguePorts, id: string) {
  const stored = await ports.overrides.get(id);
  const fromFile = declared(ports, id);
  if (!stored && !fromFile) throw new NotFoundError(`service '${id}'`);
  const source: ServiceSource = stored ? (fromFile ? 'config-override' : 'api') : 'config';
  return { service: stored?.service ?? fromFile!, version: stored?.version ?? 0, stored, source };
}

function view(service: Service, source: ServiceSource, version: number): ServiceView {
  return { ...service, source, version };
}

function sourceOfWrite(ports: ServiceCataloguePorts, id: string): ServiceSource {
  return declared(ports, id) ? 'config-override' : 'api';
}

const ifMatchSchema = z
  .string()
  .regex(/^"?\d+"?$/, 'must be the service version, e.g. "3"')
  .transform((v) => Number(v.replaceAll('"', '')));

/** The version the caller last saw (If-Match), else the one just read. */
function expectedVersion(ifMatch: string | undefined, read: number): number {
  if (ifMatch === undefined) return read;
  const r = ifMatchSchema.safeParse(ifMatch);
  if (!r.success) {
    throw new ValidationError('request is invalid: headers.if-match', [
      { path: 'headers.if-match', message: r.error.issues[0]!.message },
    ]);
  }
  if (r.data !== read) {
    throw new ConflictError(`service changed: it is at version ${read}, not ${r.data}`);
  }
  return r.data;
}

function audit(
  ports: ServiceCataloguePorts,
  type: string,
  serviceId: string,
  req: OperatorRequest,
  detail: string,
) {
  return ports.audit.record(operatorAuditEntry(req, { serviceId, type, detail, decisionId: null }));
}

export async function listServices(ports: ServiceCataloguePorts): Promise<ServiceView[]> {
  const services = await ports.registry.list();
  return Promise.all(
    services.map(async (s) => {
      const c = await current(ports, s.id);
      return view(c.service, c.source, c.version);
    }),
  );
}

export async function getService(ports: ServiceCataloguePorts, id: string): Promise<ServiceView> {
  const c = await current(ports, id);
  return view(c.service, c.source, c.version);
}

/**
 * The blast radius of an admin key: a service may target only a cluster the scale role may act on
 * (the declared services' clusters, plus the deployment's extra clusters), and no ECS service that
 * another vigia service already drives, or two autopilots would fight over one desired count.
 */
async function checkEcsTarget(ports: ServiceCataloguePorts, service: Service): Promise<void> {
  const allowed = new Set([
    ...ports.declared.map((s) => s.ecs.cluster),
    ...(ports.extraClusters ?? []),
  ]);
  if (!allowed.has(service.ecs.cluster)) {
    const message = `'${service.ecs.cluster}' is not a cluster vigia may act on (${[...allowed].join(', ')}): declare it in config/services.json or deploy with --param extraClusters`;
    throw new ValidationError(`request is invalid: body.ecs.cluster: ${message}`, [
      { path: 'body.ecs.cluster', message },
    ]);
  }
  const all = await ports.registry.list();
  const other = all.find(
    (s) =>
      s.id !== service.id &&
      s.ecs.cluster === service.ecs.cluster &&
      s.ecs.service === service.ecs.service,
  );
  if (other) {
    throw new ConflictError(
      `ECS service ${service.ecs.cluster}/${service.ecs.service} is already driven by vigia service '${other.id}'`,
    );
  }
}

/** A new service; a declared one is changed with replaceService instead. */
export async function registerService(
  ports: ServiceCataloguePorts,
  service: Service,
  req: OperatorRequest,
): Promise<ServiceView> {
  if (declared(ports, service.id)) {
    throw new ConflictError(
      `service '${service.id}' is declared in config/services.json: change it with PUT /services/${service.id}`,
    );
  }
  await checkEcsTarget(ports, service);
  const version = await ports.overrides.put(service, null, req.now);
  await audit(ports, 'service-create', service.id, req, `registered ${service.id}`);
  return view(service, 'api', version);
}

export interface ServiceReplacement {
  /** The id the caller addressed; the service's own id must equal it. */
  id: string;
  service: Service;
  ifMatch?: string | undefined;
}

export async function replaceService(
  ports: ServiceCataloguePorts,
  { id, service, ifMatch }: ServiceReplacement,
  req: OperatorRequest,
): Promise<ServiceView> {
  if (service.id !== id) {
    throw new ValidationError('request is invalid: body.id', [
      { path: 'body.id', message: `must equal the id in the path ('${id}')` },
    ]);
  }
  const c = await current(ports, id);
  const expected = expectedVersion(ifMatch, c.version);
  await checkEcsTarget(ports, service);
  const version = await ports.overrides.put(service, c.stored ? expected : null, req.now);
  await audit(ports, 'service-update', id, req, `replaced ${id}`);
  return view(service, sourceOfWrite(ports, id), version);
}

/** Removes a registered service, or an override (the declared service comes back). */
export async function removeService(
  ports: ServiceCataloguePorts,
  id: string,
  ifMatch: string | undefined,
  req: OperatorRequest,
): Promise<void> {
  const c = await current(ports, id);
  if (!c.stored) {
    throw new ConflictError(`service '${id}' is declared in config/services.json: remove it there`);
  }
  await ports.overrides.delete(id, expectedVersion(ifMatch, c.version));
  const what = `${c.source === 'config-override' ? 'the override of ' : ''}${id}`;
  await audit(ports, 'service-delete', id, req, `removed ${what}`);
}

export async function setServiceMode(
  ports: ServiceCataloguePorts,
  id: string,
  mode: AutopilotMode,
  req: OperatorRequest,
): Promise<ServiceView> {
  const c = await current(ports, id);
  const next = { ...c.service, mode };
  const version = await ports.overrides.put(next, c.stored ? c.version : null, req.now);
  await audit(ports, 'mode', id, req, `mode ${c.service.mode} → ${mode}`);
  return view(next, sourceOfWrite(ports, id), version);
}
