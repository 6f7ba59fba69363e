// Discrete-time ECS service: tasks with a capacity and a start-up delay, a queue that carries
// backlog over, a utilisation → latency curve, and CloudWatch-like one-minute datapoints.

export interface SimSettings {
  stepSeconds: number;
  /** Requests per second one task serves at 100% CPU. */
  capacityPerTask: number;
  /** Time from desiredCount raised to the task taking traffic (image pull, boot, health check). */
  startupSeconds: number;
  /** Latency of a request that never waits. */
  baseLatencyMs: number;
  /** Mean service time of one request on one task; sets how fast queues form. */
  serviceTimeMs: number;
  /** p95 above this makes the minute a violation. */
  objectiveMs: number;
  /** Requests waiting longer than this are dropped (client time-out). */
  maxQueueSeconds: number;
  minTasks: number;
  maxTasks: number;
}

export const defaultSimSettings: SimSettings = {
  stepSeconds: 15,
  capacityPerTask: 50,
  startupSeconds: 75,
  baseLatencyMs: 100,
  serviceTimeMs: 20,
  objectiveMs: 500,
  maxQueueSeconds: 30,
  minTasks: 1,
  maxTasks: 60,
};

/** One 15-second slice as a metrics agent inside the task would see it. */
export interface StepRecord {
  t: number;
  running: number;
  pending: number;
  arrivalRate: number;
  cpu: number;
  p95Ms: number;
}

/** One CloudWatch one-minute datapoint. */
export interface MinuteDatapoint {
  minute: number;
  /** ECSServiceAverageCPUUtilization. */
  cpu: number;
  /** ALBRequestCountPerTarget ÷ 60: arrivals per second per running task. */
  requestsPerTask: number;
  /** Arrivals per second at the load balancer. */
  requestRate: number;
  /** Highest p95 over the minute's slices. */
  p95Ms: number;
  tasks: number;
}

/** What a scaler may look at; each scaler applies its own metric delay. */
export interface SimView {
  readonly t: number;
  readonly desired: number;
  readonly running: number;
  readonly pending: number;
  /** When each task became (or becomes) ready to serve, oldest first; -Infinity for initial tasks. */
  readonly readyAt: readonly number[];
  readonly settings: SimSettings;
  readonly steps: readonly StepRecord[];
  readonly minutes: readonly MinuteDatapoint[];
}

export interface Scaler {
  readonly name: string;
  /** Called every step; returns a new desired count or undefined to leave it. */
  tick(view: SimView): number | undefined;
}

export interface SimResult {
  violationMinutes: number;
  taskHours: number;
  actions: number;
  minutes: number;
}

/** Replays a per-minute request-rate trace through one scaler. */
export function simulate(
  rates: readonly number[],
  scaler: Scaler,
  settings: SimSettings,
): SimResult {
  const dt = settings.stepSeconds;
  const stepsPerMinute = Math.round(60 / dt);
  const initial = clampTasks(
    Math.ceil((rates[0] ?? 0) / (settings.capacityPerTask * 0.7)),
    settings,
  );
  // Each task is the time it becomes ready; all initial tasks are already serving.
  let tasks: number[] = Array.from({ length: initial }, () => -Infinity);
  let desired = initial;
  let backlog = 0;
  let taskSeconds = 0;
  let actions = 0;
  let violations = 0;
  const steps: StepRecord[] = [];
  const minutes: MinuteDatapoint[] = [];

  for (let m = 0; m < rates.length; m++) {
    const minuteSteps: StepRecord[] = [];
    let arrivalsInMinute = 0;
    for (let s = 0; s < stepsPerMinute; s++) {
      const t = (m * stepsPerMinute + s) * dt;
      const view: SimView = {
        t,
        desired,
        running: tasks.filter((r) => r <= t).length,
        pending: tasks.filter((r) => r > t).length,
        readyAt: tasks,
        settings,
        steps,
        minutes,
      };
      const next = scaler.tick(view);
      if (next !== undefined && clampTasks(next, settings) !== desired) {
        desired = clampTasks(next, settings);
        tasks = resize(tasks, desired, t, settings.startupSeconds);
        actions++;
      }
      const running = tasks.filter((r) => r <= t).length;
      const pending = tasks.length - running;
      const rate = interpolate(rates, m, s / stepsPerMinute);
      const arrivals = rate * dt;
      arrivalsInMinute += arrivals;
      const capacity = running * settings.capacityPerTask * dt;
      const work = backlog + arrivals;
      const served = Math.min(work, capacity);
      backlog = Math.min(work - served, rate * settings.maxQueueSeconds);
      const rho = capacity > 0 ? served / capacity : 1;
      const record: StepRecord = {
        t,
        running,
        pending,
        arrivalRate: rate,
        cpu: 100 * rho,
        p95Ms: p95Latency(rho, backlog, running, settings),
      };
      steps.push(record);
      minuteSteps.push(record);
      taskSeconds += (running + pending) * dt;
    }
    const avgRunning = mean(minuteSteps.map((r) => r.running));
    const datapoint: MinuteDatapoint = {
      minute: m,
      cpu: mean(minuteSteps.map((r) => r.cpu)),
      requestsPerTask: avgRunning > 0 ? arrivalsInMinute / 60 / avgRunning : 0,
      requestRate: arrivalsInMinute / 60,
      p95Ms: Math.max(...minuteSteps.map((r) => r.p95Ms)),
      tasks: avgRunning,
    };
    minutes.push(datapoint);
    if (datapoint.p95Ms > settings.objectiveMs) violations++;
    // Scalers only look back minutes, so old slices can go.
    if (steps.length > 400) steps.splice(0, steps.length - 200);
  }
  return {
    violationMinutes: violations,
    taskHours: taskSeconds / 3600,
    actions,
    minutes: rates.length,
  };
}

/**
 * p95 of an M/M/1-like queue per task (exponential: p95 ≈ 3 × mean wait) plus the time to work
 * off the carried-over backlog. Utilisation is capped so a saturated task stays finite.
 */
export function p95Latency(rho: number, backlog: number, running: number, s: SimSettings): number {
  if (running === 0) return s.maxQueueSeconds * 1000;
  const r = Math.min(rho, 0.99);
  const queueing = (3 * s.serviceTimeMs * r) / (1 - r);
  const backlogWait = (backlog / (running * s.capacityPerTask)) * 1000;
  return s.baseLatencyMs + queueing + backlogWait;
}

/** Scale out adds tasks that start later; scale in drops starting tasks first, then the newest. */
function resize(tasks: number[], desired: number, t: number, startup: number): number[] {
  const sorted = [...tasks].sort((a, b) => a - b);
  if (desired > sorted.length) {
    return [...sorted, ...Array.from({ length: desired - sorted.length }, () => t + startup)];
  }
  return sorted.slice(0, desired);
}

function interpolate(rates: readonly number[], m: number, frac: number): number {
  const a = rates[m] ?? 0;
  const b = rates[m + 1] ?? a;
  return a + (b - a) * frac;
}

function clampTasks(n: number, s: SimSettings): number {
  return Math.min(Math.max(Math.round(n), s.minTasks), s.maxTasks);
}

function mean(xs: number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}
