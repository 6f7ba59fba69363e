// The cadence frontier (issue #15 part 5): for each way of reading a service, its reaction to a
// load step in the scaling simulator against its cost per service-month from the cost model, beside
// AWS target tracking's reaction and its own two alarms' price.
import { awsPrices } from './aws-prices';
import { cadenceReaction, reactToStep, summarise, type ReactionSummary } from './cadence-sim';
import { monthlyCost } from './cost-model';
import { deriveUsage, type Scenario } from './derive-usage';

export interface FrontierRow {
  option: string;
  /** Reaction with CloudWatch's datapoints 1 min after they close (\`reaction\`) and 2 min. */
  reactionLate: ReactionSummary;
  calmEveryMinutes: number;
  sentinelAlarm: boolean;
  pushIntervalSeconds: number | null;
  reaction: ReactionSummary;
  costPerServiceMonth: number;
  /** Whether vigia ships it. */
  built: boolean;
}

/**
 * The sentinel alarm as built: its datapoint as late as the scaler's feed, ~15 s from the state
 * change through EventBridge to the wake, ~5 s for the wake's read, the threshold at 90 % of the
 * target (the cadence's near-target margin).
 */
export const sentinelAlarmDelays = {
  datapointLagSeconds: 60,
  deliverySeconds: 15,
  readSeconds: 5,
  thresholdOfTarget: 0.9,
};

/**
 * How stale a calm service's other metrics may get: the sentinel answers a load step, but an
 * anomaly on latency or errors waits for the next calm read. At most the hot window (15 min).
 */
export const maxCalmMinutes = 15;

export const frontierCadences = [1, 2, 3, 5, 10];
/** Beyond the polled cadences: how far the alarm lets calm reads stretch. */
export const alarmOnlyCadences = [15, 30];

export function frontier(base: Scenario): { rows: FrontierRow[]; targetTracking: FrontierRow } {
  const row = (
    option: string,
    s: Pick<Scenario, 'calmEveryMinutes' | 'sentinelAlarm' | 'pushIntervalSeconds'>,
    react: (lag: 1 | 2) => ReactionSummary,
    built: boolean,
  ): FrontierRow => ({
    option,
    ...s,
    reaction: react(1),
    reactionLate: react(2),
    costPerServiceMonth: monthlyCost(deriveUsage({ ...base, ...s })).perServiceTotal,
    built,
  });
  const rows: FrontierRow[] = [];
  for (const k of frontierCadences) {
    rows.push(
      row(
        `poll every ${k} min`,
        { calmEveryMinutes: k, sentinelAlarm: false, pushIntervalSeconds: null },
        (lag) => cadenceReaction(k, null, lag),
        true,
      ),
    );
  }
  for (const k of [...frontierCadences, ...alarmOnlyCadences]) {
    rows.push(
      row(
        `poll every ${k} min + sentinel alarm`,
        { calmEveryMinutes: k, sentinelAlarm: true, pushIntervalSeconds: null },
        (lag) => cadenceReaction(k, sentinelAlarmDelays, lag),
        true,
      ),
    );
  }
  // Pushed readings size the service themselves (no CloudWatch lag); CloudWatch is then read for
  // the detector only.
  for (const seconds of [15, 60]) {
    const pushed = () => summarise([reactToStep({ kind: 'pushed', intervalSeconds: seconds })]);
    rows.push(
      row(
        `push every ${seconds} s, poll every 10 min`,
        { calmEveryMinutes: 10, sentinelAlarm: false, pushIntervalSeconds: seconds },
        pushed,
        true,
      ),
    );
  }
  const tt = (lag: 1 | 2) => summarise([reactToStep({ kind: 'targetTracking', lagMinutes: lag })]);
  const targetTracking: FrontierRow = {
    option: 'AWS target tracking (reference)',
    calmEveryMinutes: 1,
    sentinelAlarm: false,
    pushIntervalSeconds: null,
    reaction: tt(1),
    reactionLate: tt(2),
    // One policy's high and low alarm (a second policy, as the simulator's, doubles it).
    costPerServiceMonth: 2 * awsPrices.cloudwatchAlarmMetric.usd,
    built: true,
  };
  return { rows, targetTracking };
}

/**
 * The cheapest shipped option without pushes that reacts no slower, at worst, than target tracking
 * (either lag), and reads a calm service at least every `maxCalmMinutes`.
 */
export function chooseDefault(rows: FrontierRow[], targetTracking: FrontierRow): FrontierRow {
  const eligible = rows.filter(
    (r) =>
      r.built &&
      r.pushIntervalSeconds === null &&
      r.calmEveryMinutes <= maxCalmMinutes &&
      r.reaction.missed === 0 &&
      r.reaction.worstSeconds <= targetTracking.reaction.worstSeconds &&
      r.reactionLate.worstSeconds <= targetTracking.reactionLate.worstSeconds,
  );
  return eligible.reduce((best, r) =>
    r.costPerServiceMonth < best.costPerServiceMonth ? r : best,
  );
}
