// What the collect function runs on: CloudWatch and pushed metrics read as one source, ECS state,
// the detector and the table.
import type { CollectDeps } from '../../src/use-cases/collect-tick';
import { seriesDetector, type SeriesState } from '../../src/detection';
import { cloudwatchClient } from '../aws/cloudwatch-client';
import { dynamoClient } from '../aws/dynamo-client';
import { ecsClient } from '../aws/ecs-client';
import { systemClock } from '../clock';
import { CloudWatchSource } from '../sources/cloudwatch-source';
import { CombinedMetricSource } from '../sources/combined-source';
import { EcsSource } from '../sources/ecs-source';
import { PushedMetricStore } from '../store/pushed-metric-store';
import { perConfig } from './per-config';
import { serviceRegistry, tableStore } from './table';

export const collectDeps = perConfig((c): CollectDeps<SeriesState> => ({
  clock: systemClock,
  registry: serviceRegistry(c),
  metrics: new CombinedMetricSource([
    new CloudWatchSource(cloudwatchClient(c), c.endpoint),
    new PushedMetricStore(dynamoClient(c), c.tableName, c.endpoint),
  ]),
  ecs: new EcsSource(ecsClient(c), c.endpoint),
  models: tableStore(c),
  observations: tableStore(c),
  heartbeat: tableStore(c),
  detector: seriesDetector,
}));
