// npm run bench:scaling [-- --traces <files or folders>] [--json] [--set tuning|held-apart|weekly|fresh]
//   [--scalers vigiaCloudWatch,hpa] [--band] [--lead <minutes>]   (the last two: vigia's pre-scaling)
// Replays load traces through vigia's scaler, the Kubernetes HPA and AWS target tracking, and
// reports minutes over the latency objective, task-hours and scaling actions.
import { join } from 'node:path';
import { defaultSimSettings, simulate, type SimResult } from './service-sim';
import { makeScaler, scalerNames, type ScalerName } from './scalers';
import {
  csvPaths,
  csvTrace,
  defaultNabTraces,
  freshNabTraces,
  inSet,
  syntheticTraces,
  type LoadTrace,
  type TraceSet,
} from './traces';

type Totals = Record<ScalerName, { violationMinutes: number; taskHours: number; actions: number }>;

interface Args {
  traces: string[] | null;
  json: boolean;
  set: TraceSet | null;
  scalers: ScalerName[];
  preScaling: { band?: boolean; leadMinutes?: number };
}

function parseArgs(argv: string[]): Args {
  const traces: string[] = [];
  let json = false;
  let reading = false;
  let set: TraceSet | null = null;
  let scalers: ScalerName[] = [...scalerNames];
  const preScaling: Args['preScaling'] = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--traces') reading = true;
    else if (arg === '--set') set = traceSet(argv[++i]);
    else if (arg === '--scalers') scalers = scalerList(argv[++i]);
    else if (arg === '--band') preScaling.band = true;
    else if (arg === '--lead') preScaling.leadMinutes = Number(argv[++i]);
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else if (reading) traces.push(arg);
    else throw new Error(`unexpected argument ${arg}`);
  }
  return { traces: reading ? traces : null, json, set, scalers, preScaling };
}

function traceSet(value: string | undefined): TraceSet {
  if (value === 'tuning' || value === 'held-apart' || value === 'weekly' || value === 'fresh')
    return value;
  throw new Error(`--set takes tuning, held-apart, weekly or fresh, not ${value}`);
}

function scalerList(value: string | undefined): ScalerName[] {
  const names = (value ?? '').split(',').filter(Boolean);
  for (const n of names) {
    if (!(scalerNames as readonly string[]).includes(n)) throw new Error(`unknown scaler ${n}`);
  }
  return names as ScalerName[];
}

function loadTraces(paths: string[] | null, set: TraceSet | null): LoadTrace[] {
  if (paths) return csvPaths(paths).map((p) => csvTrace(p));
  const nab = join(import.meta.dirname, '../../../shared/nab/data');
  const nabTrace = (f: string) => csvTrace(join(nab, f), 600, f.replace('.csv', ''));
  if (set === 'fresh') return freshNabTraces.map(nabTrace);
  const all = [...syntheticTraces(), ...defaultNabTraces.map(nabTrace)];
  return set ? all.filter((t) => inSet(t.name, set)) : all;
}

function main(): void {
  const { traces: paths, json, set, scalers, preScaling } = parseArgs(process.argv.slice(2));
  const traces = loadTraces(paths, set);
  const rows = traces.map((trace) => {
    const results = Object.fromEntries(
      scalers.map((name) => [
        name,
        summarise(
          simulate(
            trace.rates,
            makeScaler(name, defaultSimSettings, preScaling),
            defaultSimSettings,
          ),
        ),
      ]),
    ) as Totals;
    return { name: trace.name, minutes: trace.rates.length, ...results };
  });
  const total = Object.fromEntries(
    scalers.map((name) => [
      name,
      {
        violationMinutes: rows.reduce((a, r) => a + r[name].violationMinutes, 0),
        taskHours: round(rows.reduce((a, r) => a + r[name].taskHours, 0)),
        actions: rows.reduce((a, r) => a + r[name].actions, 0),
      },
    ]),
  ) as Totals;
  if (json) {
    console.log(JSON.stringify({ settings: defaultSimSettings, traces: rows, total }, null, 2));
    return;
  }
  const header = ['trace', 'minutes', ...scalers.map((n) => `${n} viol/task-h/actions`)];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const r of rows) {
    console.log(`| ${[r.name, r.minutes, ...scalers.map((n) => cell(r[n]))].join(' | ')} |`);
  }
  console.log(
    `| **total** | ${rows.reduce((a, r) => a + r.minutes, 0)} | ${scalers.map((n) => cell(total[n])).join(' | ')} |`,
  );
}

function summarise(r: SimResult) {
  return {
    violationMinutes: r.violationMinutes,
    taskHours: round(r.taskHours),
    actions: r.actions,
  };
}

function cell(r: { violationMinutes: number; taskHours: number; actions: number }): string {
  return `${r.violationMinutes} / ${r.taskHours.toFixed(1)} / ${r.actions}`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

main();
