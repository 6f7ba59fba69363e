// Shared setup for the decision engine's emulator tests: a fresh local stack, the real adapters the
// decide, scale and verify functions use, and writers for samples and anomalies at chosen minutes.
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { decisionSk, servicePk } from '../../lib/store/keys';
import { systemClock } from '../../lib/clock';
import {
  decisionLedger,
  executeDeps,
  learningStore,
  pendingDecisions,
} from '../../lib/wiring/decisions';
import { decisionStore, modelStore, observationStore } from '../../lib/wiring/table';
import {
  anomalyId,
  type Anomaly,
  type EcsState,
  type ServiceInput,
  type Service,
} from '../../src/model';
import type { ServiceRegistry } from '../../src/ports';
import { aService } from '../support/builders';
import { freshLocalStack, localAdapters } from '../support/local-aws';

export const T0 = Date.parse('2026-03-02T10:00:00.000Z');
export const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString();
export { ruleSwitches } from '../support/builders';

/** The demo cluster's web service, as the local stack creates it. */
export function webService(overrides: Partial<ServiceInput> = {}): Service {
  return aService({ ecs: { cluster: 'vigia-demo', service: 'web' }, maxTasks: 12, ...overrides });
}

export async function decisionStack() {
  const stack = await freshLocalStack();
  const a = localAdapters(stack.endpoint, stack.tableName);
  let service = webService();
  const registry: ServiceRegistry = {
    list: async () => [service],
    get: async (id) => (id === service.id ? service : null),
  };
  // The functions' own adapters (lib/wiring), with a registry the tests can re-point.
  const deps = {
    clock: systemClock,
    registry,
    decisions: decisionStore(a.config),
    observations: observationStore(a.config),
    ledger: decisionLedger(a.config),
    learning: learningStore(a.config),
    scaler: executeDeps(a.config).scaler,
    models: modelStore(a.config),
    pending: pendingDecisions(a.config),
  };

  async function ecsService() {
    const out = await a.aws.ecs.send(
      new DescribeServicesCommand({ cluster: 'vigia-demo', services: ['web'] }),
    );
    return out.services![0]!;
  }

  async function ecsState(overrides: Partial<EcsState> = {}): Promise<EcsState> {
    const s = await ecsService();
    return {
      desiredCount: s.desiredCount ?? 2,
      runningCount: s.desiredCount ?? 2,
      pendingCount: 0,
      taskDefinition: s.taskDefinition!,
      deployments: 1,
      rolloutState: 'COMPLETED',
      lastDeploymentAt: null,
      ...overrides,
    };
  }

  async function sample(minute: number, metrics: Record<string, number | null>, ecs?: EcsState) {
    await a.store.putSample(
      { serviceId: 'web', at: at(minute), metrics, ecs: ecs ?? (await ecsState()) },
      new Date(),
    );
  }

  /** A sample and the anomaly the detector would raise on it. */
  async function anomaly(
    minute: number,
    metric: string,
    metrics: Record<string, number | null>,
    ecs?: EcsState,
    direction: 'up' | 'down' = 'up',
  ): Promise<Anomaly> {
    const state = ecs ?? (await ecsState());
    await sample(minute, metrics, state);
    const value = metrics[metric]!;
    const found: Anomaly = {
      id: anomalyId('web', metric, at(minute)),
      serviceId: 'web',
      metric,
      at: at(minute),
      value,
      score: 0.95,
      direction,
      expected: direction === 'up' ? value / 3 : value * 3,
      lower: direction === 'up' ? value / 4 : value * 2,
      upper: direction === 'up' ? value / 2 : value * 4,
      severity: 'critical',
      explanation: `${metric} ${value} is far ${direction === 'up' ? 'above' : 'below'} its usual`,
      desiredCount: state.desiredCount,
    };
    await a.store.putAnomaly(found, new Date());
    return found;
  }

  /** What POST /decisions/{id}/approve does: proposed → approved, conditionally. */
  async function approve(decisionId: string) {
    await a.aws.dynamo.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: { pk: servicePk('web'), sk: decisionSk(decisionId) },
        UpdateExpression: 'SET #status = :approved, reviewedBy = :by',
        ConditionExpression: '#status = :proposed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':approved': 'approved',
          ':proposed': 'proposed',
          ':by': 'ops',
        },
      }),
    );
  }

  /** Every audit record (ACTION items), in no particular order. */
  async function auditTrail() {
    const out = await a.aws.dynamo.send(
      new QueryCommand({
        TableName: stack.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :kind',
        ExpressionAttributeValues: { ':kind': 'ACTION' },
      }),
    );
    return out.Items ?? [];
  }

  return {
    stack,
    a,
    deps,
    auditTrail,
    setService: (s: Service) => {
      service = s;
    },
    ecsService,
    ecsState,
    sample,
    anomaly,
    approve,
  };
}
