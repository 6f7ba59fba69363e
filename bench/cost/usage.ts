// What one service costs per collector tick, in the units AWS bills: the contract between
// `bench:collect` (which counts these on the local stack) and `npm run cost` (which prices them).
// Fractional values are averages over a tick (a call shared by 100 services counts 0.01 each).

export interface ServiceTickUsage {
  /** Services the measurement covered. */
  services: number;
  /** Minutes between the scheduled ticks the figures are per (1 = every minute). */
  tickMinutes: number;
  /** CloudWatch GetMetricData: metrics requested per service per tick (billed per 1,000). */
  cloudwatchMetricsRequested: number;
  /** CloudWatch GetMetricData calls per service per tick (not billed; rate-limited). */
  cloudwatchCalls: number;
  /** ECS DescribeServices and ELBv2 calls per service per tick (not billed; rate-limited). */
  ecsCalls: number;
  /** DynamoDB write request units per service per tick (1 WRU per 1 KB written, conditional included). */
  dynamoWriteUnits: number;
  /** DynamoDB read request units per service per tick (strongly consistent 4 KB = 1 RRU). */
  dynamoReadUnits: number;
  /** Bytes written to the table per service per tick (for storage and stream volume). */
  bytesWritten: number;
  /** Lambda invocations per service per tick, every function (collect, workers, stream consumers). */
  lambdaInvocations: number;
  /** Lambda GB-seconds per service per tick (duration × memory). */
  lambdaGbSeconds: number;
  /** SNS publishes per service per tick (alerts; usually near 0). */
  snsPublishes: number;
  /** HTTP API requests per service per tick (pushed readings). */
  apiRequests: number;
  // Added by the cost model (optional, so a bench:collect JSON without them stays valid; the
  // derived usage fills them, a counted one may leave them to the derivation's defaults).
  /** Lambda invocations per service per tick that X-Ray records (default sampling). */
  tracedInvocations?: number;
  /** Log bytes ingested per service per tick (Lambda START/END/REPORT lines, EMF, logs). */
  logBytes?: number;
  /** Bytes the table holds for one service on average (samples until their TTL, models, state). */
  storedBytes?: number;
  /** Standing CloudWatch alarm metrics per service (not per tick): the sentinel alarm is 1. */
  alarmMetrics?: number;
  /** CloudWatch API requests besides GetMetricData per service per tick (the sentinel reconcile). */
  cloudwatchApiRequests?: number;
}

/** Every field of a usage, for validation and printing in one order. */
export const usageFields = [
  'cloudwatchMetricsRequested',
  'cloudwatchCalls',
  'ecsCalls',
  'dynamoWriteUnits',
  'dynamoReadUnits',
  'bytesWritten',
  'lambdaInvocations',
  'lambdaGbSeconds',
  'snsPublishes',
  'apiRequests',
] as const satisfies readonly (keyof ServiceTickUsage)[];
