// The Kubernetes HorizontalPodAutoscaler (autoscaling/v2) as documented: every sync period,
// desired = ceil(ready × current/target) per metric with a 0.1 tolerance, the highest metric
// wins; not-yet-ready pods count as 0% on scale-up and are left out on scale-down; a pod whose
// metric window began before it was ready is treated as not ready (cpu-initialization-period);
// default behaviour: scale-down stabilisation 300 s, scale-up policies max(100%, 4 pods) per 15 s,
// scale-down 100% per 15 s.
import type { Scaler, SimView, StepRecord } from './service-sim';

export interface HpaSettings {
  syncSeconds: number;
  tolerance: number;
  scaleDownStabilisationSeconds: number;
  /** metrics-server: the usage an HPA sync sees is averaged over this window... */
  metricWindowSeconds: number;
  /** ...ending this long before the sync (scrape + API latency). */
  metricDelaySeconds: number;
  targetCpu: number;
  /** Requests per second per pod (a Pods metric through a custom-metrics adapter), or null. */
  targetRequestsPerPod: number | null;
}

export function hpaScaler(
  settings: HpaSettings,
): Scaler & { recommendations: Array<{ t: number; n: number }> } {
  const recommendations: Array<{ t: number; n: number }> = [];
  const scaleEvents: Array<{ t: number; delta: number }> = [];
  let lastSync = -Infinity;
  return {
    name: 'hpa',
    recommendations,
    tick(view: SimView) {
      if (view.t - lastSync < settings.syncSeconds) return undefined;
      lastSync = view.t;
      // Only the last few slices can fall in the window.
      const windowStart = view.t - settings.metricDelaySeconds - settings.metricWindowSeconds;
      const window = view.steps
        .slice(-16)
        .filter((s) => s.t >= windowStart && s.t < view.t - settings.metricDelaySeconds);
      const current = view.desired;
      const proposal = hpaProposal(window, metricReadiness(view, windowStart), settings);
      const recommended = proposal ?? current;
      recommendations.push({ t: view.t, n: recommended });
      while (
        recommendations.length > 0 &&
        recommendations[0]!.t <= view.t - settings.scaleDownStabilisationSeconds
      ) {
        recommendations.shift();
      }
      // Scale-down stabilisation: the highest recommendation over the window; scale-up window 0.
      let stabilised = recommended;
      if (recommended < current) {
        stabilised = Math.min(current, Math.max(...recommendations.map((r) => r.n)));
      }
      while (scaleEvents.length > 0 && scaleEvents[0]!.t <= view.t - 15) scaleEvents.shift();
      const periodStart = current - sumSince(scaleEvents, view.t - 15, (d) => d > 0);
      let next = stabilised;
      if (next > current) {
        const limit = Math.max(periodStart * 2, periodStart + 4);
        next = Math.min(next, limit);
      } else if (next < current) {
        // 100% per 15 s: no effective limit beyond minReplicas.
        next = Math.max(next, 0);
      }
      if (next === current) return undefined;
      scaleEvents.push({ t: view.t, delta: next - current });
      return next;
    },
  };
}

/**
 * The replica calculator's pod grouping: a pod counts as ready only if its whole metric window
 * was collected while it was ready (within the 5-minute CPU initialisation period, which covers
 * every pod this simulator starts); the rest (pending, or ready too recently) are unready.
 */
export function metricReadiness(
  view: Pick<SimView, 'desired' | 'readyAt'>,
  windowStart: number,
): Pick<SimView, 'desired' | 'running' | 'pending'> {
  const ready = view.readyAt.filter((r) => r <= windowStart).length;
  return { desired: view.desired, running: ready, pending: view.desired - ready };
}

/** The documented replica calculation over the ready pods' metrics, highest metric wins. */
export function hpaProposal(
  window: readonly StepRecord[],
  view: Pick<SimView, 'desired' | 'running' | 'pending'>,
  s: HpaSettings,
): number | null {
  if (window.length === 0 || view.running === 0) return null;
  const cpu = avg(window.map((w) => w.cpu));
  const reqPerPod = avg(window.map((w) => (w.running > 0 ? w.arrivalRate / w.running : 0)));
  const proposals = [replicasFor(cpu, s.targetCpu, view, s.tolerance)];
  if (s.targetRequestsPerPod !== null) {
    proposals.push(replicasFor(reqPerPod, s.targetRequestsPerPod, view, s.tolerance));
  }
  return Math.max(...proposals);
}

/**
 * ratio = value/target over ready pods; within tolerance → keep; on scale-up, pods still starting
 * are assumed at 0% and the ratio recomputed, and if that flips the direction nothing changes.
 */
export function replicasFor(
  value: number,
  target: number,
  view: Pick<SimView, 'desired' | 'running' | 'pending'>,
  tolerance: number,
): number {
  const ready = view.running;
  const ratio = value / target;
  if (Math.abs(ratio - 1) <= tolerance) return view.desired;
  if (ratio > 1 && view.pending > 0) {
    const total = ready + view.pending;
    const rebalanced = (ratio * ready) / total;
    if (rebalanced <= 1 || Math.abs(rebalanced - 1) <= tolerance) return view.desired;
    return Math.ceil(rebalanced * total - 1e-9);
  }
  return Math.ceil(ratio * ready - 1e-9);
}

function sumSince(
  events: Array<{ t: number; delta: number }>,
  since: number,
  keep: (d: number) => boolean,
): number {
  return events.filter((e) => e.t > since && keep(e.delta)).reduce((a, e) => a + e.delta, 0);
}

function avg(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
