// Uptime arithmetic for the status page (issue 16 part 7): from a service's incident spans (past
// ones as kept at resolution, open ones ending now) to uptime over 24 h, 7 d and 90 d and one bar
// per UTC day. Time before vigia first saw the service is "no data", never counted as up: a
// service watched for 3 days shows 3 bars, not 87 days of 100%.
import { severityRank, type Severity } from '../model';

export type DayState = 'operational' | 'degraded' | 'outage' | 'no-data';

/** One stretch the service was not fully well: critical incidents are outages, others degraded. */
export interface DowntimeSpan {
  start: string;
  /** null while the incident is open: it runs until now. */
  end: string | null;
  level: 'degraded' | 'outage';
}

export interface UptimeDay {
  /** The UTC day, YYYY-MM-DD. */
  date: string;
  state: DayState;
  /** Minutes of the day vigia watched the service (less on the first day and today). */
  observedMinutes: number;
  degradedMinutes: number;
  outageMinutes: number;
}

export interface ServiceUptime {
  /** When vigia first saw the service; null when it never has. */
  trackedSince: string | null;
  /** Share of watched time not in outage, 0–100 with 3 decimals; null with nothing watched. */
  uptime: { '24h': number | null; '7d': number | null; '90d': number | null };
  /** Oldest first, today last. */
  days: UptimeDay[];
}

const DAY_MS = 86_400_000;
export const HISTORY_DAYS = 90;

export function spanLevel(severity: Severity): DowntimeSpan['level'] {
  return severityRank[severity] >= severityRank.critical ? 'outage' : 'degraded';
}

interface Interval {
  from: number;
  to: number;
}

/** Spans as disjoint intervals per level; an outage hides a degraded stretch it overlaps. */
function downtime(spans: readonly DowntimeSpan[], nowMs: number) {
  const of = (level: DowntimeSpan['level']) =>
    merge(
      spans
        .filter((s) => s.level === level)
        .map((s) => ({ from: Date.parse(s.start), to: s.end === null ? nowMs : Date.parse(s.end) }))
        .map((i) => ({ from: i.from, to: Math.min(i.to, nowMs) }))
        .filter((i) => Number.isFinite(i.from) && Number.isFinite(i.to) && i.to > i.from),
    );
  const outage = of('outage');
  return { outage, degraded: subtract(of('degraded'), outage) };
}

function merge(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.from - b.from);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.from <= last.to) last.to = Math.max(last.to, i.to);
    else out.push({ ...i });
  }
  return out;
}

function subtract(from: Interval[], cut: Interval[]): Interval[] {
  let rest = from;
  for (const c of cut) {
    rest = rest.flatMap((i) => {
      if (c.to <= i.from || c.from >= i.to) return [i];
      const parts: Interval[] = [];
      if (c.from > i.from) parts.push({ from: i.from, to: c.from });
      if (c.to < i.to) parts.push({ from: c.to, to: i.to });
      return parts;
    });
  }
  return rest;
}

function overlapMs(intervals: Interval[], from: number, to: number): number {
  let total = 0;
  for (const i of intervals) total += Math.max(0, Math.min(i.to, to) - Math.max(i.from, from));
  return total;
}

const minutes = (msValue: number) => Math.round(msValue / 60_000);

function uptimeOver(
  windowMs: number,
  nowMs: number,
  sinceMs: number | null,
  outage: Interval[],
): number | null {
  if (sinceMs === null) return null;
  const from = Math.max(nowMs - windowMs, sinceMs);
  if (from >= nowMs) return null;
  const down = overlapMs(outage, from, nowMs);
  return Math.round((1 - down / (nowMs - from)) * 100_000) / 1000;
}

export function serviceUptime(
  spans: readonly DowntimeSpan[],
  trackedSince: Date | null,
  now: Date,
  days = HISTORY_DAYS,
): ServiceUptime {
  const nowMs = now.getTime();
  const sinceMs = trackedSince ? Math.min(trackedSince.getTime(), nowMs) : null;
  const { outage, degraded } = downtime(spans, nowMs);
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const bars: UptimeDay[] = [];
  for (let d = days - 1; d >= 0; d--) {
    const dayStart = today - d * DAY_MS;
    const from = sinceMs === null ? Infinity : Math.max(dayStart, sinceMs);
    const to = Math.min(dayStart + DAY_MS, nowMs);
    const date = new Date(dayStart).toISOString().slice(0, 10);
    if (from >= to) {
      bars.push({
        date,
        state: 'no-data',
        observedMinutes: 0,
        degradedMinutes: 0,
        outageMinutes: 0,
      });
      continue;
    }
    const out = overlapMs(outage, from, to);
    const deg = overlapMs(degraded, from, to);
    bars.push({
      date,
      state: out > 0 ? 'outage' : deg > 0 ? 'degraded' : 'operational',
      observedMinutes: minutes(to - from),
      degradedMinutes: minutes(deg),
      // A short outage still shows: at least a minute once there was one.
      outageMinutes: out > 0 ? Math.max(1, minutes(out)) : 0,
    });
  }
  return {
    trackedSince: sinceMs === null ? null : new Date(sinceMs).toISOString(),
    uptime: {
      '24h': uptimeOver(DAY_MS, nowMs, sinceMs, outage),
      '7d': uptimeOver(7 * DAY_MS, nowMs, sinceMs, outage),
      '90d': uptimeOver(days * DAY_MS, nowMs, sinceMs, outage),
    },
    days: bars,
  };
}

/** A load series downsampled to at most `buckets` points: the mean of each equal time slice. */
export function downsample(
  points: readonly { at: string; value: number }[],
  from: Date,
  to: Date,
  buckets: number,
): { at: string; value: number }[] {
  const start = from.getTime();
  const width = (to.getTime() - start) / buckets;
  if (!(width > 0)) return [];
  const sums = new Map<number, { sum: number; n: number }>();
  for (const p of points) {
    const t = Date.parse(p.at);
    if (!Number.isFinite(t) || !Number.isFinite(p.value) || t < start || t > to.getTime()) continue;
    const b = Math.min(buckets - 1, Math.floor((t - start) / width));
    const s = sums.get(b) ?? { sum: 0, n: 0 };
    s.sum += p.value;
    s.n += 1;
    sums.set(b, s);
  }
  return [...sums.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([b, s]) => ({
      at: new Date(start + b * width).toISOString(),
      value: Math.round((s.sum / s.n) * 100) / 100,
    }));
}
