// npm run bench:incidents [-- --seed 1] [--scenarios 3] [--kinds load-spike,plateau] [--json]
//   [--skip verify,autoscale] (leave pipeline steps out, to see what each one is worth)
//   [--cadence minute|sentinel] (minute: every service read every minute, the default; sentinel:
//   the production default, calm services read every 15 minutes and woken by their sentinel alarm)
// Plays seeded incident scenarios through vigia's real pipeline (detector, decide, autoscale, scale,
// verify, alerting) against a simulated fleet, and through target tracking alone and a static
// runbook on the same scenarios; prints per scenario and in total what each got right.
import { playRunbook, playTargetTracking, playVigia, systems, type SystemName } from './play';
import { makeScenarios, scenarioKinds, type ScenarioKind } from './scenarios';
import { scoreRun, totalOf, type ScenarioScore, type SystemTotal } from './scoring';
import { cadences, scheduledStepsFor, streamConsumers, type Cadence } from './vigia-pipeline';

interface Options {
  seed: number;
  perKind: number;
  kinds: ScenarioKind[];
  json: boolean;
  skip: string[];
  cadence: Cadence;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    seed: 1,
    perKind: 3,
    kinds: [...scenarioKinds],
    json: false,
    skip: [],
    cadence: 'minute',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--json') o.json = true;
    else if (arg === '--seed') o.seed = positiveInt(arg, value());
    else if (arg === '--scenarios') o.perKind = positiveInt(arg, value());
    else if (arg === '--kinds') {
      o.kinds = value().split(',') as ScenarioKind[];
      const unknown = o.kinds.filter((k) => !scenarioKinds.includes(k));
      if (unknown.length) throw new Error(`unknown kinds ${unknown.join(', ')}`);
    } else if (arg === '--cadence') {
      const cadence = value();
      if (!cadences.includes(cadence as Cadence))
        throw new Error(`--cadence must be one of ${cadences.join(', ')}, not ${cadence}`);
      o.cadence = cadence as Cadence;
    } else if (arg === '--skip') {
      o.skip = value().split(',');
      const known = [...scheduledStepsFor('sentinel'), ...streamConsumers].map((x) => x.name);
      const unknown = o.skip.filter((n) => !known.includes(n));
      if (unknown.length)
        throw new Error(`unknown steps ${unknown.join(', ')} (${known.join(', ')})`);
    } else throw new Error(`unknown option ${arg}`);
  }
  return o;
}

function positiveInt(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
}

async function runBenchmark(o: Omit<Options, 'json'>) {
  const scenarios = makeScenarios(o.seed, o.perKind).filter((s) => o.kinds.includes(s.kind));
  const pipeline = {
    cadence: o.cadence,
    steps: scheduledStepsFor(o.cadence).filter((x) => !o.skip.includes(x.name)),
    consumers: streamConsumers.filter((x) => !o.skip.includes(x.name)),
  };
  const scores: ScenarioScore[] = [];
  for (const s of scenarios) {
    scores.push(scoreRun(s, await playVigia(s, pipeline)));
    scores.push(scoreRun(s, playTargetTracking(s)));
    scores.push(scoreRun(s, playRunbook(s)));
  }
  const total = Object.fromEntries(
    systems.map((name) => [
      name,
      totalOf(
        scores.filter((x) => x.system === name),
        scenarios,
      ),
    ]),
  ) as Record<SystemName, SystemTotal>;
  return { scenarios, scores, total };
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const { scenarios, scores, total } = await runBenchmark(o);
  if (o.json) {
    const rows = scenarios.map((s) => ({
      name: s.name,
      kind: s.kind,
      description: s.description,
      cure: s.cure,
      resolvable: s.resolvable,
      ...Object.fromEntries(
        systems.map((n) => [n, scores.find((x) => x.scenario === s.name && x.system === n)]),
      ),
    }));
    console.log(
      JSON.stringify(
        { seed: o.seed, perKind: o.perKind, cadence: o.cadence, total, scenarios: rows },
        null,
        2,
      ),
    );
    return;
  }
  const skipped = o.skip.length ? `, without ${o.skip.join(', ')}` : '';
  console.log(
    `bench:incidents — seed ${o.seed}, ${o.perKind} variant(s) per kind, ${o.cadence} reads${skipped}\n`,
  );
  console.log(
    '| scenario | cure | system | detected | diagnosis | first action | cure taken | recovered | messages | wrong resolved |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const s of scenarios) {
    for (const n of systems) {
      const x = scores.find((y) => y.scenario === s.name && y.system === n)!;
      console.log(
        `| ${s.name} | ${s.cure} | ${n} | ${x.detected ? `+${x.detectedAfterMinutes} min` : 'no'} | ${mark(x.diagnosis ?? '—', x.diagnosisRight)} | ${mark(x.firstAction, x.actionRight)} | ${x.cureAfterMinutes === null ? '—' : `+${x.cureAfterMinutes} min`} | ${recovered(x)} | ${x.messages} | ${x.wrongResolved} |`,
      );
    }
  }
  console.log('\n' + totalTable(total));
}

function totalTable(total: Record<SystemName, SystemTotal>): string {
  const keys = Object.keys(total.vigia) as (keyof SystemTotal)[];
  const lines = [
    `| total | ${systems.join(' | ')} |`,
    `|---|${systems.map(() => '---').join('|')}|`,
    ...keys.map((k) => `| ${k} | ${systems.map((n) => total[n][k]).join(' | ')} |`),
  ];
  return lines.join('\n');
}

function mark(text: string, right: boolean | null): string {
  return right === null ? text : `${text} ${right ? '✓' : '✗'}`;
}

function recovered(x: ScenarioScore): string {
  if (x.recoverMinutes === null) return x.autoResolved === null ? 'no (needs people)' : 'no';
  return `${x.recoverMinutes} min${x.autoResolved === false ? ' (relapsed)' : ''}`;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
