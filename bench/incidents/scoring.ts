// Scoring of bench:incidents: what a system did in a scenario, judged against what the scenario knows
// (its cure, the diagnoses that name it, when the service is healthy), and the totals per system.
import { isHealthy, type Cure, type Scenario } from './scenarios';
import type { SystemName, SystemRun } from './play';
import { DATAPOINT_DELAY_MINUTES } from './sim-adapters';

/** Healthy this many minutes in a row counts as recovered. */
export const RECOVERY_STREAK_MINUTES = 3;

export interface ScenarioScore {
  scenario: string;
  kind: string;
  system: SystemName;
  detected: boolean;
  /** Fault start → the tick that noticed it. */
  detectedAfterMinutes: number | null;
  diagnosis: string | null;
  /** Null in false alarms: there is nothing to name. */
  diagnosisRight: boolean | null;
  /** The session-9 scoring: the first name from the fault's + 1 tick, whatever its evidence. */
  diagnosisRightFromTick: boolean | null;
  firstAction: Cure | 'scale-in';
  actionRight: boolean;
  /** Fault start → the cure taken (a message, for a notify cure), whatever came first. */
  cureAfterMinutes: number | null;
  /** Null when no autopilot can end the fault (people must). */
  autoResolved: boolean | null;
  /** Fault start → healthy again (0: users never noticed); null when never healthy again. */
  recoverMinutes: number | null;
  /** Actions on the service from the fault on (in false alarms: from the first live minute). */
  actions: number;
  falseActions: number;
  messages: number;
  /**
   * "Resolved" messages sent while the service was unhealthy, over the last minute users lived
   * through and over the newest minute CloudWatch had published.
   */
  wrongResolved: number;
  /** The session-9 scoring: judged on the last minute users lived through alone. */
  wrongResolvedLastMinute: number;
}

export function scoreRun(s: Scenario, run: SystemRun): ScenarioScore {
  const from = (s.falseAlarm ? s.liveFromMinute : s.faultMinute) * 60;
  const healthy = (minute: number) => {
    const m = run.minutes[minute];
    return m !== undefined && isHealthy(s, m);
  };
  const actions = run.actions.filter((a) => a.at >= from);
  const messages = run.messages.filter((x) => x.at >= from);
  const firstAction: ScenarioScore['firstAction'] =
    actions[0]?.action ?? (messages.some((x) => !x.resolved) ? 'notify' : 'none');
  const recoverMinutes = timeToRecover(s, healthy);
  const cureAt =
    s.cure === 'notify'
      ? messages.find((x) => !x.resolved)?.at
      : actions.find((a) => a.action === s.cure)?.at;
  return {
    scenario: s.name,
    kind: s.kind,
    system: run.system,
    detected: run.detectedAtMinute !== null,
    detectedAfterMinutes:
      run.detectedAtMinute === null ? null : run.detectedAtMinute - s.faultMinute,
    diagnosis: run.diagnosis,
    diagnosisRight: s.falseAlarm ? null : s.diagnoses.includes(run.diagnosis ?? ''),
    diagnosisRightFromTick: s.falseAlarm
      ? null
      : s.diagnoses.includes(run.diagnosisFromTick ?? run.diagnosis ?? ''),
    firstAction,
    // Telling people about a blip is noise, not harm: in a false alarm only touching the service is wrong.
    actionRight: s.cure === 'none' ? actions.length === 0 : firstAction === s.cure,
    cureAfterMinutes:
      cureAt === undefined || s.cure === 'none' ? null : Math.floor(cureAt / 60) - s.faultMinute,
    autoResolved: s.resolvable ? recoverMinutes !== null && healthyAtEnd(s, healthy) : null,
    recoverMinutes,
    actions: actions.length,
    falseActions: s.falseAlarm ? actions.length : 0,
    messages: messages.length,
    // A message sent during tick m speaks of minute m - 1, the last one users lived through; no
    // reader of CloudWatch has seen it yet (its newest datapoint is of m - 1 - the delay). A fault
    // that began in an unpublished minute cannot be known: "resolved" then is wrong only when the
    // service was unhealthy over the newest published minute too.
    wrongResolved: run.messages.filter(
      (x) =>
        x.resolved &&
        !healthy(Math.floor(x.at / 60) - 1) &&
        !healthy(Math.floor(x.at / 60) - 1 - DATAPOINT_DELAY_MINUTES),
    ).length,
    wrongResolvedLastMinute: run.messages.filter(
      (x) => x.resolved && !healthy(Math.floor(x.at / 60) - 1),
    ).length,
  };
}

/**
 * Fault start → the first minute of a healthy streak after the service was first unhealthy; 0
 * when it never was; null when it never became healthy again before the scenario ended.
 */
export function timeToRecover(s: Scenario, healthy: (minute: number) => boolean): number | null {
  let firstBad = -1;
  for (let m = s.faultMinute; m < s.endMinute; m++) {
    if (!healthy(m)) {
      firstBad = m;
      break;
    }
  }
  if (firstBad < 0) return 0;
  for (let m = firstBad + 1; m + RECOVERY_STREAK_MINUTES <= s.endMinute; m++) {
    let streak = true;
    for (let k = 0; k < RECOVERY_STREAK_MINUTES; k++) streak &&= healthy(m + k);
    if (streak) return m - s.faultMinute;
  }
  return null;
}

function healthyAtEnd(s: Scenario, healthy: (minute: number) => boolean): boolean {
  for (let m = s.endMinute - RECOVERY_STREAK_MINUTES; m < s.endMinute; m++) {
    if (!healthy(m)) return false;
  }
  return true;
}

export interface SystemTotal {
  autoResolvedPct: number;
  diagnosisAccuracy: number;
  /** Diagnosis under the session-9 scoring (first name from the fault's + 1 tick). */
  diagnosisAccuracyFromTick: number;
  actionAccuracy: number;
  /** Mean over the resolvable scenarios; one never recovered counts its whole length (a floor). */
  mttrMinutes: number;
  falseActions: number;
  wrongResolved: number;
  /** Wrong "resolved" under the session-9 scoring (the last minute users lived through alone). */
  wrongResolvedLastMinute: number;
  messagesPerIncident: number;
  detectedPct: number;
}

export function totalOf(
  scores: readonly ScenarioScore[],
  scenarios: readonly Scenario[],
): SystemTotal {
  const byName = new Map(scenarios.map((s) => [s.name, s]));
  const faults = scores.filter((x) => !byName.get(x.scenario)!.falseAlarm);
  const resolvable = scores.filter((x) => x.autoResolved !== null);
  const length = (x: ScenarioScore) => {
    const s = byName.get(x.scenario)!;
    return s.endMinute - s.faultMinute;
  };
  const ratio = (n: number, d: number) => (d === 0 ? 0 : n / d);
  return {
    autoResolvedPct: round(
      100 * ratio(resolvable.filter((x) => x.autoResolved).length, resolvable.length),
    ),
    diagnosisAccuracy: round(
      ratio(faults.filter((x) => x.diagnosisRight).length, faults.length),
      2,
    ),
    diagnosisAccuracyFromTick: round(
      ratio(faults.filter((x) => x.diagnosisRightFromTick).length, faults.length),
      2,
    ),
    actionAccuracy: round(ratio(scores.filter((x) => x.actionRight).length, scores.length), 2),
    mttrMinutes: round(
      ratio(
        resolvable.reduce((a, x) => a + (x.recoverMinutes ?? length(x)), 0),
        resolvable.length,
      ),
    ),
    falseActions: scores.reduce((a, x) => a + x.falseActions, 0),
    wrongResolved: scores.reduce((a, x) => a + x.wrongResolved, 0),
    wrongResolvedLastMinute: scores.reduce((a, x) => a + x.wrongResolvedLastMinute, 0),
    messagesPerIncident: round(
      ratio(
        faults.reduce((a, x) => a + x.messages, 0),
        faults.length,
      ),
    ),
    detectedPct: round(100 * ratio(faults.filter((x) => x.detected).length, faults.length)),
  };
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
