// What the watch function runs on: the service registry, the recent samples (for `for` windows),
// the detectors' models (forecasts) and the table it writes threshold, forecast and outage
// anomalies to. No AWS client but DynamoDB.
import type { WatchDeps } from '../../src/use-cases/watch-sample';
import { systemClock } from '../clock';
import { DynamoLearningStore } from '../store/learning-store';
import { powertoolsTelemetry } from '../telemetry/powertools-metrics';
import { perConfig } from './per-config';
import { modelStore, observationStore, serviceRegistry, table } from './table';

export const watchDeps = perConfig(
  (c) =>
    ({
      clock: systemClock,
      registry: serviceRegistry(c),
      observations: observationStore(c),
      samples: new DynamoLearningStore(table(c)),
      models: modelStore(c),
      telemetry: powertoolsTelemetry,
    }) satisfies WatchDeps,
);
