// npm run bench:scaling [-- --traces <files or folders>] [--json]
// Replays load traces through vigia's scaler, the Kubernetes HPA and AWS target tracking, and
// reports minutes over the latency objective, task-hours and scaling actions.
import { join } from 'node:path';
import { defaultSimSettings, simulate, type SimResult } from './service-sim';
import { makeScaler, scalerNames, type ScalerName } from './scalers';
import { csvPaths, csvTrace, defaultNabTraces, syntheticTraces, type LoadTrace } from './traces';

type Totals = Record<ScalerName, { violationMinutes: number; taskHours: number; actions: number }>;

function parseArgs(argv: string[]): { traces: string[] | null; json: boolean } {
  const traces: string[] = [];
  let json = false;
  let reading = false;
  for (const arg of argv) {
    if (arg === '--json') json = true;
    else if (arg === '--traces') reading = true;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else if (reading) traces.push(arg);
    else throw new Error(`unexpected argument ${arg}`);
  }
  return { traces: reading ? traces : null, json };
}

function loadTraces(paths: string[] | null): LoadTrace[] {
  if (paths) return csvPaths(paths).map((p) => csvTrace(p));
  const nab = join(import.meta.dirname, '../../../shared/nab/data');
  return [
    ...syntheticTraces(),
    ...defaultNabTraces.map((f) => csvTrace(join(nab, f), 600, f.replace('.csv', ''))),
  ];
}

function main(): void {
  const { traces: paths, json } = parseArgs(process.argv.slice(2));
  const traces = loadTraces(paths);
  const rows = traces.map((trace) => {
    const results = Object.fromEntries(
      scalerNames.map((name) => [
        name,
        summarise(simulate(trace.rates, makeScaler(name, defaultSimSettings), defaultSimSettings)),
      ]),
    ) as Totals;
    return { name: trace.name, minutes: trace.rates.length, ...results };
  });
  const total = Object.fromEntries(
    scalerNames.map((name) => [
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
  const header = ['trace', 'minutes', ...scalerNames.map((n) => `${n} viol/task-h/actions`)];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const r of rows) {
    console.log(`| ${[r.name, r.minutes, ...scalerNames.map((n) => cell(r[n]))].join(' | ')} |`);
  }
  console.log(
    `| **total** | ${rows.reduce((a, r) => a + r.minutes, 0)} | ${scalerNames.map((n) => cell(total[n])).join(' | ')} |`,
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
