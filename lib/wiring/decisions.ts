// The decision engine's adapters: decide, autoscale, scale and verify. Each function takes its own
// builder, so only scale and autoscale carry the ECS client.
import type { AutoscaleDeps } from '../../src/use-cases/autoscale';
import type { DecideDeps } from '../../src/use-cases/decide-on-anomaly';
import type { SweepDeps } from '../../src/use-cases/sweep-decisions';
import type { VerifyDeps } from '../../src/use-cases/verify-actions';
import { ecsActionClient, ecsClient } from '../aws/ecs-client';
import { lambdaRunbookClient } from '../aws/lambda-client';
import { ssmClient } from '../aws/ssm-client';
import { SsmSecrets } from '../aws/ssm-secrets';
import { SsmLlmKeys } from '../llm/llm-keys';
import { DynamoLlmBudget, DynamoLlmDiagnosisCache } from '../llm/llm-store';
import { OpenAiCompatibleChat } from '../llm/openai-chat';
import { AwsRunbookRunner } from '../runbooks/runbook-runner';
import { systemClock } from '../clock';
import { DynamoPendingDecisions } from '../store/decision-pending';
import { EcsScaler } from '../ecs/ecs-scaler';
import { EcsSource } from '../sources/ecs-source';
import { DynamoDecisionLedger } from '../store/decision-ledger';
import { DynamoLearningStore } from '../store/learning-store';
import { powertoolsTelemetry } from '../telemetry/powertools-metrics';
import { perConfig } from './per-config';
import { decisionStore, modelStore, observationStore, serviceRegistry, table } from './table';

export const decisionLedger = perConfig((c) => new DynamoDecisionLedger(table(c)));

export const learningStore = perConfig((c) => new DynamoLearningStore(table(c)));

export const decideDeps = perConfig(
  (c) =>
    ({
      clock: systemClock,
      registry: serviceRegistry(c),
      decisions: decisionStore(c),
      ledger: decisionLedger(c),
      observations: observationStore(c),
      learning: learningStore(c),
      samples: learningStore(c),
      models: modelStore(c),
      // Only with its own switch on: otherwise no provider is ever called.
      ...(c.llm.enabled ? { llm: llmDiagnosisDeps(c) } : {}),
      telemetry: powertoolsTelemetry,
    }) satisfies DecideDeps,
);

export const llmDiagnosisDeps = perConfig((c) => ({
  clock: systemClock,
  providers: c.llm.providers,
  chat: new OpenAiCompatibleChat(),
  keys: new SsmLlmKeys(ssmClient(c), systemClock, c.endpoint),
  budget: new DynamoLlmBudget(table(c)),
  cache: new DynamoLlmDiagnosisCache(table(c)),
  samples: learningStore(c),
}));

export const autoscaleDeps = perConfig(
  (c) =>
    ({
      clock: systemClock,
      registry: serviceRegistry(c),
      ledger: decisionLedger(c),
      decisions: decisionStore(c),
      ecs: new EcsSource(ecsClient(c), c.endpoint),
      models: modelStore(c),
      learning: learningStore(c),
    }) satisfies AutoscaleDeps,
);

/** The decisions still needing the sweep or the verifier (the table's sparse `pending` index). */
export const pendingDecisions = perConfig(
  (c) => new DynamoPendingDecisions(table(c), () => systemClock.now()),
);

/** What scale needs, for a stream record and for the sweep alike. */
export const executeDeps = perConfig(
  (c) =>
    ({
      clock: systemClock,
      registry: serviceRegistry(c),
      decisions: decisionStore(c),
      ledger: decisionLedger(c),
      scaler: new EcsScaler(ecsClient(c), c.endpoint, ecsActionClient(c)),
      runbooks: new AwsRunbookRunner({
        ssm: ssmClient(c),
        lambda: lambdaRunbookClient(c),
        secrets: new SsmSecrets(ssmClient(c), c.endpoint),
        now: () => systemClock.now(),
      }),
      telemetry: powertoolsTelemetry,
      pending: pendingDecisions(c),
    }) satisfies SweepDeps,
);

export const verifyDeps = perConfig(
  (c) =>
    ({
      clock: systemClock,
      registry: serviceRegistry(c),
      learning: learningStore(c),
      pending: pendingDecisions(c),
    }) satisfies VerifyDeps,
);
