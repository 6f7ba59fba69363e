// Totals over many seeds of bench:incidents: reads the `--json` output of each seed from a folder
// (seed<N>.json), prints vigia's cells per seed and their totals — auto-resolved, diagnosis, first
// action, time to recover and messages per incident averaged over seeds, false actions and wrong
// "resolved" summed. Produce the files with a loop, at most two at once on a shared machine:
//   for s in $(seq 1 30); do nice -n 10 npx tsx bench/incidents/run.ts --seed $s --scenarios 4 \
//     --json > out/seed$s.json; done
//   npx tsx bench/incidents/totals.ts out --seeds 1-30
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const totalSchema = z.object({
  autoResolvedPct: z.number(),
  diagnosisAccuracy: z.number(),
  actionAccuracy: z.number(),
  mttrMinutes: z.number(),
  falseActions: z.number(),
  wrongResolved: z.number(),
  messagesPerIncident: z.number(),
});
const runSchema = z.object({ seed: z.number(), total: z.object({ vigia: totalSchema }) });
type Total = z.infer<typeof totalSchema>;

const columns: { key: keyof Total; summed: boolean }[] = [
  { key: 'autoResolvedPct', summed: false },
  { key: 'diagnosisAccuracy', summed: false },
  { key: 'actionAccuracy', summed: false },
  { key: 'mttrMinutes', summed: false },
  { key: 'falseActions', summed: true },
  { key: 'wrongResolved', summed: true },
  { key: 'messagesPerIncident', summed: false },
];

/** Means of the rates, sums of the counts, over the seeds given. */
export function seedTotals(runs: readonly Total[]): Total {
  const out = {} as Total;
  for (const { key, summed } of columns) {
    const sum = runs.reduce((a, r) => a + r[key], 0);
    out[key] = summed ? sum : runs.length ? Math.round((sum / runs.length) * 1000) / 1000 : 0;
  }
  return out;
}

export function cells(t: Total): string {
  return columns.map(({ key }) => t[key]).join('/');
}

function parseSeeds(spec: string): number[] {
  const m = /^(\d+)-(\d+)$/.exec(spec);
  if (!m) throw new Error(`--seeds must look like 1-30, not ${spec}`);
  const out: number[] = [];
  for (let s = Number(m[1]); s <= Number(m[2]); s++) out.push(s);
  return out;
}

function main(argv: string[]): void {
  const dir = argv[0];
  if (!dir) throw new Error('usage: totals.ts <folder of seed<N>.json> [--seeds 1-30]');
  const at = argv.indexOf('--seeds');
  const seeds = parseSeeds(at >= 0 ? (argv[at + 1] ?? '') : '1-30');
  const runs: Total[] = [];
  for (const seed of seeds) {
    const file = join(dir, `seed${seed}.json`);
    let run: z.infer<typeof runSchema>;
    try {
      run = runSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch (err) {
      throw new Error(`${file}: not a finished --json run`, { cause: err });
    }
    if (run.seed !== seed) throw new Error(`seed${seed}.json holds seed ${run.seed}`);
    runs.push(run.total.vigia);
    console.log(`| ${seed} | ${cells(run.total.vigia)} |`);
  }
  console.log(`| **${seeds[0]}–${seeds.at(-1)}** | **${cells(seedTotals(runs))}** |`);
}

if (process.argv[1]?.endsWith('totals.ts')) main(process.argv.slice(2));
