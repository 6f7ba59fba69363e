// The composition root: one lazy getter per adapter, built once per container from config. Each
// function imports only the getters it uses, so its bundle holds only the SDK clients it needs.
import { cloudwatchClient, dynamoClient, ecsClient, snsClient } from './aws/clients';
import { config, declaredServices, requireTopicArn } from './config';
import { EcsScaler } from './ecs/ecs-scaler';
import { SnsNotifier } from './sns/sns-notifier';
import { CloudWatchSource } from './sources/cloudwatch-source';
import { CombinedMetricSource } from './sources/combined-source';
import { EcsSource } from './sources/ecs-source';
import { PushedMetricStore } from './store/pushed-metric-store';
import { ConfiguredServiceRegistry } from './store/service-registry';
import { SingleTableStore } from './store/single-table-store';
import { Table } from './store/table';

export { config as appConfig } from './config';

function once<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

export const table = once(() => new Table(dynamoClient(), config().tableName, config().endpoint));

export const store = once(() => new SingleTableStore(table()));

export const registry = once(() => new ConfiguredServiceRegistry(declaredServices(), table()));

/** CloudWatch's metrics and those pushed through POST /metrics, read as one source. */
export const metricSource = once(
  () =>
    new CombinedMetricSource([
      new CloudWatchSource(cloudwatchClient(), config().endpoint),
      new PushedMetricStore(table()),
    ]),
);

export const ecsStateSource = once(() => new EcsSource(ecsClient(), config().endpoint));

export const scaler = once(() => new EcsScaler(ecsClient(), config().endpoint));

export const notifier = once(
  () => new SnsNotifier(snsClient(), requireTopicArn(config()), config().endpoint),
);
