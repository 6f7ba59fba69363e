// The usage per service-tick derived from vigia's call pattern, line by line, for when no counted
// bench:collect JSON is at hand (`--usage file.json` replaces it). Each figure names the code it
// comes from; durations and item sizes are stated assumptions (item sizes measured from the
// builders' typical items and a model after two weeks of minutes). The pattern is main's at
// 6f9e0f4 with the read cadence applied as issue #15 describes it: a calm service is read every
// K minutes (all datapoints since its last read in one GetMetricData), a hot one every minute.
import { MINUTES_PER_MONTH } from './aws-prices';
import type { ServiceTickUsage } from './usage';

export interface Scenario {
  services: number;
  /** CloudWatch series per service: ECS cpu and memory + ALB latency_p95, requests, errors_5xx. */
  metrics: number;
  /** Minutes between a calm service's reads (K); 1 reads everyone every minute (main today). */
  calmEveryMinutes: number;
  /** Share of service-minutes that are hot (incident, near a threshold, recent action): read every minute. */
  hotShare: number;
  /** Seconds between a service's POST /metrics pushes; null when it pushes nothing. */
  pushIntervalSeconds: number | null;
  /** Points in one push besides its reading (cpu, memory, requests). */
  pushedPoints: number;
  /** The service's sentinel alarm wakes its reads between calm polls (functions/wake.ts). */
  sentinelAlarm: boolean;
  /** The service is in auto mode, so autoscale reads and writes on every fresh reading. */
  autoMode: boolean;
}

/** A typical service: CPU, memory and three ALB metrics, auto mode, no pushes, read every minute. */
export const typicalScenario: Scenario = {
  services: 1000,
  metrics: 5,
  calmEveryMinutes: 1,
  hotShare: 0.05,
  pushIntervalSeconds: null,
  pushedPoints: 3,
  sentinelAlarm: false,
  autoMode: true,
};

/** Assumed in-region latencies (ms) and item sizes (bytes); the counted bench replaces them. */
export const assumptions = {
  dynamoReadMs: 6,
  dynamoWriteMs: 8,
  /** One GetMetricData call of up to 500 queries. */
  getMetricDataMs: 400,
  /** One DescribeServices call of up to 10 services. */
  describeServicesMs: 60,
  /** middy, the heartbeat UpdateItem and the EMF flush, per invocation. */
  invocationOverheadMs: 30,
  /** A registered service with the builders' defaults (test/support/builders.ts aService). */
  serviceItemBytes: 1900,
  /** A sample of five metrics, the error rate and the ECS state, with its keys (~500 B measured). */
  sampleItemBytes: 600,
  /** JSON of a series model after two weeks of minutes (1.8 KB) plus its keys. */
  modelItemBytes: 1900,
  autopilotStateBytes: 800,
  heartbeatItemBytes: 1500,
  pushedPointBytes: 300,
  /** START, END and REPORT lines plus one EMF document. */
  logBytesPerInvocation: 1000,
  /** lib/store/keys.ts ttl.sampleDays. */
  sampleDays: 14,
  /** collect-tick's liveWindowMinutes: older points only teach the model, no sample. */
  liveWindowMinutes: 5,
  /**
   * target-scaling's MAX_READING_AGE_MS (3 min): of a calm read's readings (1, 2, 3… minutes old
   * plus the tick's seconds) the newest 2 are acted on; the rest are ignored after one GetItem.
   */
  freshReadingMinutes: 2,
  /** Alerts a service sends a month (SNS publishes). */
  alertsPerMonth: 6,
  /** Sentinel alarm OK → ALARM transitions a month (wakes): load past 90 % of target twice a day. */
  alarmWakesPerMonth: 60,
  /** The dispatcher compares the alarms with the fleet at least this often (sentinelSettings). */
  sentinelFullPassMinutes: 60,
  streamBatchSize: 10,
  /** Services one collect invocation works on at once: main's collect-tick goes one by one. */
  collectServicesInFlight: 1,
};

const kb = (bytes: number) => Math.ceil(bytes / 1024);
/** Read units of a query or get returning `bytes`: per 4 KB, halved when eventually consistent. */
const rru = (bytes: number, consistent: boolean) =>
  Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

/** Per-minute fleet totals of one function, before dividing by the fleet. */
interface FunctionMinute {
  invocations: number;
  ms: number;
  memoryGb: number;
}

export function deriveUsage(s: Scenario, a = assumptions): ServiceTickUsage {
  const n = s.services;
  const k = s.calmEveryMinutes;
  // Share of ticks a service is read, and its samples per tick: a calm read writes one sample per
  // live minute it brings (at most the live window), a hot read one.
  const reads = s.hotShare + (1 - s.hotShare) / k;
  const samplesPerCalmRead = Math.min(k, a.liveWindowMinutes);
  const samples = s.hotShare + ((1 - s.hotShare) * samplesPerCalmRead) / k;
  // Of a calm read's samples only the newest readings are young enough for target scaling.
  const freshSamples = s.hotShare + ((1 - s.hotShare) * Math.min(k, a.freshReadingMinutes)) / k;
  const pushes = s.pushIntervalSeconds === null ? 0 : 60 / s.pushIntervalSeconds;
  const listRru = (n * a.serviceItemBytes) / 4096 / 2; // registry.list(): one eventual query

  // collect (collect-tick.ts, 512 MB), per service read: GetMetricData M queries (500 a call),
  // DescribeServices (10 a call), loadModels (one query of M model items, 16 in flight), the pushed
  // store's query, then putSample per sample and saveModel per series, one after another.
  const modelsBytes = s.metrics * a.modelItemBytes;
  const collectReadMs =
    (s.metrics / 500) * a.getMetricDataMs +
    a.describeServicesMs / 10 +
    a.dynamoReadMs / 16 +
    a.dynamoReadMs +
    (samplesPerCalmRead + s.metrics) * a.dynamoWriteMs;
  const collect: FunctionMinute = {
    invocations: 1,
    // The tick's own work: list services, recordCollectorRun, the middleware heartbeat.
    ms:
      a.invocationOverheadMs +
      2 * a.dynamoWriteMs +
      a.dynamoReadMs +
      (n * reads * collectReadMs) / a.collectServicesInFlight,
    memoryGb: 0.5,
  };
  let rruPerService = reads * (rru(modelsBytes, false) + 0.5) + listRru / n;
  let wruPerService =
    samples * kb(a.sampleItemBytes) + reads * s.metrics * kb(a.modelItemBytes) + 1 / n; // + collector run

  // autoscale (stream INSERT sample|reading, 256 MB, batches of 10): registry.get for every record;
  // a fresh one in auto mode also DescribeServices, loadAutopilotState (consistent), decisionsSince
  // (consistent) and saveScalingState. Pushed readings are always fresh.
  const autoscaleRecords = samples + pushes;
  const actingRecords = s.autoMode ? freshSamples + pushes : 0;
  const autoscale: FunctionMinute = {
    invocations: Math.max(1, (n * autoscaleRecords) / a.streamBatchSize),
    ms:
      n * autoscaleRecords * a.dynamoReadMs +
      n * actingRecords * (a.describeServicesMs + 2 * a.dynamoReadMs + a.dynamoWriteMs),
    memoryGb: 0.25,
  };
  autoscale.ms += autoscale.invocations * a.invocationOverheadMs;
  rruPerService +=
    autoscaleRecords * rru(a.serviceItemBytes, false) +
    actingRecords * (rru(a.autopilotStateBytes, true) + rru(1, true));
  wruPerService += actingRecords * kb(a.autopilotStateBytes);

  // notify (stream INSERT sample, 256 MB): anomaliesSince, then loadServiceState's three
  // consistent queries (incidents, notices, silences); a calm sample changes nothing, writes nothing.
  const notify: FunctionMinute = {
    invocations: Math.max(1, (n * samples) / a.streamBatchSize),
    ms: n * samples * 4 * a.dynamoReadMs,
    memoryGb: 0.25,
  };
  notify.ms += notify.invocations * a.invocationOverheadMs;
  rruPerService += samples * (0.5 + 3 * rru(1, true));

  // The minute schedules: sweep and verify read the sparse `pending` index once for the whole
  // fleet (lib/store/decision-pending.ts), alert-timers still walks every service
  // (loadServiceState + escalation's registry.get), and each of them, probe and collect lists the
  // registry.
  const schedules: FunctionMinute = {
    invocations: 4,
    ms: 4 * a.invocationOverheadMs + (2 + n * 4) * a.dynamoReadMs,
    memoryGb: 0.25,
  };
  rruPerService += 3 + 0.5 + (2 * 1 + 4 * listRru) / n;

  // POST /metrics (api, 256 MB): API key GetItem, registry.get, the rate-limit UpdateItem, then one
  // transaction of the points and the reading (2 WRU per KB each). The api has no heartbeat.
  const api: FunctionMinute = {
    invocations: n * pushes,
    ms: n * pushes * (a.invocationOverheadMs + 2 * a.dynamoReadMs + 2 * a.dynamoWriteMs),
    memoryGb: 0.25,
  };
  rruPerService += pushes * 2 * 0.5;
  wruPerService += pushes * (1 + 2 * (s.pushedPoints + 1) * kb(a.pushedPointBytes));

  // The sentinel (src/use-cases/sentinel-wake.ts): EventBridge delivers the alarm's state change
  // (free); the wake function (512 MB) loads the models item, rewrites it with the wake mark
  // (conditional put) and reads the service as a worker would. The points it reads are the ones the
  // next tick would have read, so only the read's fixed part is extra: the GetMetricData of its M
  // metrics, DescribeServices, the models query and the pushed-metrics query.
  const wakes = s.sentinelAlarm ? a.alarmWakesPerMonth / MINUTES_PER_MONTH : 0;
  const wake: FunctionMinute = {
    invocations: n * wakes,
    ms:
      n *
      wakes *
      (a.invocationOverheadMs +
        a.getMetricDataMs +
        a.describeServicesMs +
        2 * a.dynamoReadMs +
        (1 + s.metrics) * a.dynamoWriteMs),
    memoryGb: 0.5,
  };
  rruPerService += wakes * (2 * rru(modelsBytes, true) + 0.5);
  wruPerService += wakes * 2 * s.metrics * kb(a.modelItemBytes);
  // The dispatcher's reconcile: an unchanged fleet costs nothing but the full pass, DescribeAlarms
  // at 100 alarms a page; changes (PutMetricAlarm) come with registrations only.
  const reconcileRequests = s.sentinelAlarm ? 1 / 100 / a.sentinelFullPassMinutes : 0;

  const fns = [collect, autoscale, notify, schedules, api, wake];
  const invocations = fns.reduce((t, f) => t + f.invocations, 0);
  // Every function with a middy stack but the api leaves a heartbeat (UpdateItem bills the larger image).
  wruPerService += ((invocations - api.invocations) * kb(a.heartbeatItemBytes)) / n;
  // X-Ray's default rule per function: the first trace each second, then 5%.
  const traced = fns.reduce(
    (t, f) => t + Math.min(f.invocations, 60) + 0.05 * Math.max(0, f.invocations - 60),
    0,
  );

  const bytesPerTick =
    samples * a.sampleItemBytes +
    reads * modelsBytes +
    actingRecords * a.autopilotStateBytes +
    pushes * (s.pushedPoints + 1) * a.pushedPointBytes;
  const storedBytes =
    samples * 1440 * a.sampleDays * a.sampleItemBytes +
    modelsBytes +
    a.serviceItemBytes +
    a.autopilotStateBytes +
    // Pushed points (one per metric and minute, 2 days) and readings (1 day).
    (pushes > 0 ? (s.pushedPoints * 2 + pushes) * 1440 * a.pushedPointBytes : 0);

  return {
    services: n,
    tickMinutes: 1,
    cloudwatchMetricsRequested: (reads + wakes) * s.metrics,
    cloudwatchCalls: (reads * Math.ceil((n * s.metrics) / 500)) / n,
    ecsCalls: reads / 10 + actingRecords,
    dynamoWriteUnits: wruPerService,
    dynamoReadUnits: rruPerService,
    bytesWritten: bytesPerTick,
    lambdaInvocations: invocations / n,
    lambdaGbSeconds: fns.reduce((t, f) => t + (f.ms / 1000) * f.memoryGb, 0) / n,
    snsPublishes: a.alertsPerMonth / MINUTES_PER_MONTH,
    apiRequests: pushes,
    tracedInvocations: traced / n,
    logBytes: (invocations * a.logBytesPerInvocation) / n,
    storedBytes,
    alarmMetrics: s.sentinelAlarm ? 1 : 0,
    cloudwatchApiRequests: reconcileRequests,
  };
}
