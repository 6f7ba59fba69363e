// One scenario of bench:incidents played through vigia, with what happened minute by minute: every
// decision (when it was made, the age of its evidence, the anomaly behind it, its diagnosis and
// result), the anomalies, the actions on the service, the messages, and each minute as the
// simulator lived it (healthy or not by the scenario's own definition). For tracing a miss to its
// cause; times are minutes from the fault's start.
//   npx tsx bench/incidents/trace.ts --seed 26 --scenario memory-leak#1 [--from -10] [--to 20]
import { newSim, scenarioService } from './play';
import { isHealthy, makeScenarios } from './scenarios';
import { productionSwitches, runVigiaTick, scheduledStepsFor, vigiaStack } from './vigia-pipeline';

function option(argv: string[], name: string, fallback?: string): string {
  const at = argv.indexOf(name);
  const value = at >= 0 ? argv[at + 1] : fallback;
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
}

async function main(argv: string[]): Promise<void> {
  const seed = Number(option(argv, '--seed'));
  const name = option(argv, '--scenario');
  const from = Number(option(argv, '--from', '-30'));
  const to = Number(option(argv, '--to', '80'));
  const s = makeScenarios(seed, 4).find((x) => x.name === name);
  if (!s) throw new Error(`no scenario ${name} (kinds: load-spike#1 … plateau#4)`);
  const sim = newSim(s);
  for (let m = 0; m < s.liveFromMinute; m++) sim.runMinute();
  const stack = vigiaStack(scenarioService(s), sim, productionSwitches, 'minute');
  const steps = scheduledStepsFor('minute');
  for (let m = s.liveFromMinute; m < s.endMinute; m++) {
    await runVigiaTick(stack, new Date(s.settings.startMs + m * 60_000), steps);
    sim.runMinute();
  }
  const rel = (ms: number) => (ms - s.settings.startMs) / 60_000 - s.faultMinute;
  const within = (r: number) => r >= from && r <= to;
  const { table } = stack;
  console.log(`${s.name}: ${s.description}; cure ${s.cure}; accepted ${s.diagnoses.join(', ')}`);
  console.log('\ndecisions (made at / evidence of, minutes from the fault)');
  const made = (id: string, at: string) => table.decidedAt.get(id) ?? Date.parse(at);
  const decisions = [...table.decisions.values()].sort(
    (a, b) => made(a.id, a.at) - made(b.id, b.at),
  );
  for (const d of decisions) {
    const r = rel(made(d.id, d.at));
    if (!within(r)) continue;
    const a = table.anomalies.get(d.anomalyId);
    const anomaly = a
      ? `${a.metric} (${a.source ?? 'detector'}) ${a.value.toFixed(2)}${a.minutesToBreach === undefined ? '' : `, breach in ${a.minutesToBreach} min`}`
      : d.anomalyId;
    console.log(
      `  ${r.toFixed(0)} / ${rel(Date.parse(d.at)).toFixed(0)}: ${d.requestedBy} ${d.action} ${d.fromCount}→${d.toCount} ${d.status}; ${d.diagnosis ?? '—'} (${d.confidence ?? '—'}) on ${anomaly}; ${d.result ?? d.reason}`,
    );
    if (d.evidence?.length) console.log(`      evidence: ${d.evidence.join('; ')}`);
  }
  console.log('\nanomalies');
  for (const a of [...table.anomalies.values()].sort((x, y) => x.at.localeCompare(y.at))) {
    const r = rel(Date.parse(a.at));
    if (within(r))
      console.log(
        `  ${r}: ${a.metric} (${a.source ?? 'detector'}) ${a.value.toFixed(2)} expected ${a.expected?.toFixed(2) ?? '—'}, ${a.severity}`,
      );
  }
  console.log('\nactions on the service');
  for (const a of sim.actions)
    console.log(`  ${(a.at / 60 - s.faultMinute).toFixed(1)}: ${a.action} ${a.detail}`);
  console.log('\nmessages');
  for (const x of stack.notifier.sent)
    console.log(`  ${rel(x.at).toFixed(1)}: ${x.kind} ${x.subject}`);
  console.log('\nminutes');
  for (
    let m = Math.max(0, s.faultMinute + from);
    m < Math.min(s.endMinute, s.faultMinute + to);
    m++
  ) {
    const x = sim.minutes[m]!;
    console.log(
      `  ${m - s.faultMinute}: ${isHealthy(s, x) ? 'healthy  ' : 'unhealthy'} requests ${x.requestRate.toFixed(0)}/s, cpu ${x.cpuReported?.toFixed(1) ?? '—'}%, memory ${x.memory?.toFixed(1) ?? '—'}%, p95 ${x.latencyReported?.toFixed(0) ?? '—'} ms, 5xx ${x.errorRate.toFixed(2)}%, running ${x.running}/${x.desired}, revisions ${x.servingRevisions.join(',') || '—'}`,
    );
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
