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
  /** Whether vigia ships it: the alarm wake is modelled only. */
  built: boolean;
}

/** The sentinel alarm's delays: the datapoint as late as the scaler's feed, then ~15 s to the wake. */
export const sentinelAlarmDelays = { datapointLagSeconds: 60, deliverySeconds: 15 };

/** The calm-read cadence chosen on the frontier (docs/benchmarks/cost.md): `chooseDefault`'s pick. */
export const defaultCalmEveryMinutes = 3;

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
        false,
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

/** The cheapest shipped polling option that reacts no slower, at worst, than target tracking (either lag). */
export function chooseDefault(rows: FrontierRow[], targetTracking: FrontierRow): FrontierRow {
  const eligible = rows.filter(
    (r) =>
      r.built &&
      r.pushIntervalSeconds === null &&
      r.reaction.missed === 0 &&
      r.reaction.worstSeconds <= targetTracking.reaction.worstSeconds &&
      r.reactionLate.worstSeconds <= targetTracking.reactionLate.worstSeconds,
  );
  return eligible.reduce((best, r) =>
    r.costPerServiceMonth < best.costPerServiceMonth ? r : best,
  );
}
