// The public AWS list prices the cost model multiplies by: region us-east-1, on-demand, no free tier
// (a fleet large enough to matter has used it up), each line with the page it is published on.
// Prices as published, checked 2026-12-02 from the public price pages as last known to the author
// (no network from the build machine: re-check the pages before quoting a bill).

export interface Price {
  /** US dollars per `per` units. */
  usd: number;
  per: number;
  unit: string;
  source: string;
  note?: string;
}

export const pricesCheckedOn = '2026-12-02';
export const pricesRegion = 'us-east-1';

/** AWS bills a month as 730 hours. */
export const MINUTES_PER_MONTH = 730 * 60;

const lambda = 'https://aws.amazon.com/lambda/pricing/';
const dynamo = 'https://aws.amazon.com/dynamodb/pricing/on-demand/';
const cloudwatch = 'https://aws.amazon.com/cloudwatch/pricing/';
const sns = 'https://aws.amazon.com/sns/pricing/';

export const awsPrices = {
  lambdaRequests: { usd: 0.2, per: 1e6, unit: 'requests', source: lambda },
  lambdaGbSecondsArm64: {
    usd: 0.0000133334,
    per: 1,
    unit: 'GB-seconds (arm64, first 7.5 billion a month)',
    source: lambda,
  },
  dynamoWriteUnits: {
    usd: 0.625,
    per: 1e6,
    unit: 'write request units (on-demand; 1 per KB, 2 per KB in a transaction)',
    source: dynamo,
  },
  dynamoReadUnits: {
    usd: 0.125,
    per: 1e6,
    unit: 'read request units (on-demand; 1 per 4 KB strongly consistent, 0.5 eventually)',
    source: dynamo,
  },
  dynamoStorage: {
    usd: 0.25,
    per: 1,
    unit: 'GB-month (Standard table class; first 25 GB free)',
    source: dynamo,
  },
  dynamoStreamReads: {
    usd: 0.02,
    per: 1e5,
    unit: 'stream read request units',
    source: dynamo,
    note: 'free when the stream is read by Lambda triggers, as every vigia consumer is: priced at 0',
  },
  cloudwatchMetricsRequested: {
    usd: 0.01,
    per: 1000,
    unit: 'metrics requested by GetMetricData (however many datapoints each returns)',
    source: cloudwatch,
  },
  cloudwatchAlarmMetric: {
    usd: 0.1,
    per: 1,
    unit: 'standard-resolution (60 s) alarm metric-month',
    source: cloudwatch,
    note: 'high resolution $0.30; anomaly detection alarms bill 3 metrics',
  },
  cloudwatchApiRequests: {
    usd: 0.01,
    per: 1000,
    unit: 'other CloudWatch API requests (the sentinel reconcile: DescribeAlarms, PutMetricAlarm, DeleteAlarms)',
    source: cloudwatch,
    note: 'the first million a month are free; priced here as if all were billed',
  },
  cloudwatchLogsIngestion: {
    usd: 0.5,
    per: 1,
    unit: 'GB of logs ingested (Standard class; EMF metrics arrive this way)',
    source: cloudwatch,
    note: 'EMF metrics are also billed as custom metrics, $0.30 per metric-month: fleet-wide, not per service',
  },
  cloudwatchPutMetricData: {
    usd: 0.01,
    per: 1000,
    unit: 'PutMetricData requests',
    source: cloudwatch,
    note: 'vigia publishes through EMF logs, not PutMetricData',
  },
  xrayTracesRecorded: {
    usd: 5,
    per: 1e6,
    unit: 'traces recorded (default sampling: 1 a second and 5% of the rest, per function)',
    source: 'https://aws.amazon.com/xray/pricing/',
  },
  snsPublishes: {
    usd: 0.5,
    per: 1e6,
    unit: 'publishes (64 KB chunks; first million a month free)',
    source: sns,
  },
  snsEmailDeliveries: { usd: 2, per: 1e5, unit: 'email deliveries', source: sns },
  snsHttpDeliveries: { usd: 0.6, per: 1e6, unit: 'HTTP/S deliveries', source: sns },
  snsLambdaDeliveries: {
    usd: 0,
    per: 1e6,
    unit: 'deliveries to Lambda (the slack function)',
    source: sns,
    note: 'SMS is priced per message and country (about $0.006 in the US plus carrier fees)',
  },
  apiGatewayHttpRequests: {
    usd: 1,
    per: 1e6,
    unit: 'HTTP API requests (first 300 million a month; metered in 512 KB steps)',
    source: 'https://aws.amazon.com/api-gateway/pricing/',
  },
  eventBridgeScheduledRules: {
    usd: 0,
    per: 1e6,
    unit: 'scheduled rule invocations and AWS service events (alarm state changes) on the default bus',
    source: 'https://aws.amazon.com/eventbridge/pricing/',
  },
  sqsRequests: {
    usd: 0.4,
    per: 1e6,
    unit: 'standard queue requests (64 KB chunks; first million a month free)',
    source: 'https://aws.amazon.com/sqs/pricing/',
    note: 'only failed stream records reach the failure queue: priced at 0 per service',
  },
} as const satisfies Record<string, Price>;

export type PriceTable = { [K in keyof typeof awsPrices]: Price };

/** Dollars for `quantity` units at `price`. */
export function priced(price: Price, quantity: number): number {
  return (price.usd * quantity) / price.per;
}
