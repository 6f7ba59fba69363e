// The sentinel alarms in CloudWatch: listed by their name prefix (DescribeAlarms, 100 a page),
// created or replaced by PutMetricAlarm (same name: replaced in place, its state kept), deleted 100
// names a call. The alarms have no actions: their state changes reach the wake function through the
// EventBridge rule in serverless.yml, which matches the same prefix.
import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  type CloudWatchClient,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import type { ExistingAlarm, SentinelAlarmSpec } from '../../src/collection/sentinel-alarm';
import type { SentinelAlarmStore } from '../../src/use-cases/sentinel-reconcile';
import { awsError } from '../aws/errors';

const DELETE_BATCH = 100;

export class CloudWatchSentinelAlarms implements SentinelAlarmStore {
  constructor(
    private readonly cloudwatch: CloudWatchClient,
    private readonly endpoint: string | undefined,
  ) {}

  async list(prefix: string): Promise<ExistingAlarm[]> {
    const specs: ExistingAlarm[] = [];
    let NextToken: string | undefined;
    do {
      const out = await this.cloudwatch
        .send(
          new DescribeAlarmsCommand({
            AlarmNamePrefix: prefix,
            AlarmTypes: ['MetricAlarm'],
            MaxRecords: 100,
            NextToken,
          }),
        )
        .catch((err) => {
          throw awsError(err, `CloudWatch alarms '${prefix}*'`, this.endpoint);
        });
      for (const alarm of out.MetricAlarms ?? []) specs.push(existingAlarm(alarm));
      NextToken = out.NextToken;
    } while (NextToken);
    return specs;
  }

  async put(spec: SentinelAlarmSpec): Promise<void> {
    await this.cloudwatch
      .send(
        new PutMetricAlarmCommand({
          AlarmName: spec.name,
          AlarmDescription: `vigia: wakes the reads of service ${spec.serviceId} (sentinel alarm, managed by vigia)`,
          Namespace: spec.namespace,
          MetricName: spec.metricName,
          Dimensions: spec.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
          Statistic: spec.statistic,
          Period: spec.periodSeconds,
          EvaluationPeriods: spec.evaluationPeriods,
          DatapointsToAlarm: spec.evaluationPeriods,
          Threshold: spec.threshold,
          ComparisonOperator: spec.comparison,
          TreatMissingData: spec.treatMissingData,
          ActionsEnabled: false,
        }),
      )
      .catch((err) => {
        throw awsError(err, `CloudWatch alarm '${spec.name}'`, this.endpoint);
      });
  }

  async remove(names: readonly string[]): Promise<void> {
    for (let i = 0; i < names.length; i += DELETE_BATCH) {
      const AlarmNames = names.slice(i, i + DELETE_BATCH);
      await this.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames })).catch((err) => {
        throw awsError(err, `CloudWatch alarms ${AlarmNames.join(', ')}`, this.endpoint);
      });
    }
  }
}

/** An alarm as it is; anything vigia would not have written compares unequal and is overwritten. */
function existingAlarm(alarm: MetricAlarm): ExistingAlarm {
  return {
    name: alarm.AlarmName ?? '',
    namespace: alarm.Namespace ?? '',
    metricName: alarm.MetricName ?? '',
    dimensions: (alarm.Dimensions ?? []).map((d) => ({ name: d.Name ?? '', value: d.Value ?? '' })),
    statistic: alarm.Statistic ?? '',
    periodSeconds: alarm.Period ?? 0,
    evaluationPeriods: alarm.EvaluationPeriods ?? 0,
    threshold: alarm.Threshold ?? NaN,
    comparison: alarm.ComparisonOperator ?? '',
    treatMissingData: alarm.TreatMissingData ?? 'missing',
  };
}
