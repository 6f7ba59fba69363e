// The composition root: every adapter the functions need, built once per container from config.
import { clients } from './aws/clients';
import { config, declaredServices, requireTopicArn } from './config';
import { EcsScaler } from './ecs/ecs-scaler';
import { SnsNotifier } from './sns/sns-notifier';
import { CloudWatchSource } from './sources/cloudwatch-source';
import { CombinedMetricSource } from './sources/combined-source';
import { EcsSource } from './sources/ecs-source';
import { DynamoStore } from './store/dynamo-store';
import { PushedMetricStore } from './store/pushed-metric-store';
import { ConfiguredServiceRegistry } from './store/service-registry';

function build() {
  const c = config();
  const aws = clients();
  return {
    config: c,
    store: new DynamoStore(aws.dynamo, c.tableName, c.endpoint),
    registry: new ConfiguredServiceRegistry(
      declaredServices(),
      aws.dynamo,
      c.tableName,
      c.endpoint,
    ),
    // Pushed metrics (POST /metrics) join CloudWatch's in the same tick.
    metrics: new CombinedMetricSource([
      new CloudWatchSource(aws.cloudwatch, c.endpoint),
      new PushedMetricStore(aws.dynamo, c.tableName, c.endpoint),
    ]),
    ecsState: new EcsSource(aws.ecs, c.endpoint),
    scaler: new EcsScaler(aws.ecs, c.endpoint),
    notifier: () => new SnsNotifier(aws.sns, requireTopicArn(c), c.endpoint),
  };
}

let built: ReturnType<typeof build> | undefined;
export function adapters() {
  built ??= build();
  return built;
}
