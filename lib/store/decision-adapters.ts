// The decision engine's adapters, built once per container beside the shared ones in lib/adapters.
import { appConfig, registry, scaler, store, table } from '../adapters';
import type { GlobalSwitches } from '../../src/decision';
import { DynamoDecisionLedger } from './decision-ledger';
import { DynamoLearningStore } from './learning-store';

function build() {
  const config = appConfig();
  const { switches } = config;
  const globalSwitches: GlobalSwitches = {
    autoScalingEnabled: switches.autoScaling,
    autoRecoveryEnabled: switches.autoRecovery,
    aiDecisionsEnabled: switches.aiDecisions,
  };
  return {
    config,
    store: store(),
    registry: registry(),
    // Only scale calls it; a getter keeps the ECS client out of decide's and verify's work.
    get scaler() {
      return scaler();
    },
    ledger: new DynamoDecisionLedger(table()),
    learning: new DynamoLearningStore(table()),
    switches: globalSwitches,
  };
}

let built: ReturnType<typeof build> | undefined;
export function decisionAdapters() {
  built ??= build();
  return built;
}
