// The decision engine's adapters, built once per container beside the shared ones in lib/adapters.
import { adapters } from '../adapters';
import { clients } from '../aws/clients';
import type { GlobalSwitches } from '../../src/decision';
import { DynamoDecisionLedger } from './decision-ledger';
import { DynamoLearningStore } from './learning-store';

function build() {
  const a = adapters();
  const aws = clients();
  const { tableName, endpoint, switches } = a.config;
  const globalSwitches: GlobalSwitches = {
    autoScalingEnabled: switches.autoScaling,
    autoRecoveryEnabled: switches.autoRecovery,
    aiDecisionsEnabled: switches.aiDecisions,
  };
  return {
    ...a,
    ledger: new DynamoDecisionLedger(aws.dynamo, tableName, endpoint),
    learning: new DynamoLearningStore(aws.dynamo, tableName, endpoint),
    switches: globalSwitches,
  };
}

let built: ReturnType<typeof build> | undefined;
export function decisionAdapters() {
  built ??= build();
  return built;
}
