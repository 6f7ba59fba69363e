// Bundle size and cold initialisation per function: packages the stack, then imports each bundled
// handler in a fresh Node process (median of several) to time module initialisation.
//   npm run bench:bundle -- [--runs 5] [--json]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from 'simple-statistics';
import { repoRoot } from '../scripts/lib/stack-definitions';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] || 5) || 5;
const asJson = args.includes('--json');

const out = mkdtempSync(path.join(os.tmpdir(), 'vigia-bundle-'));
const work = path.join('.local', `bundle-${process.pid}`);
try {
  execFileSync(
    path.join(repoRoot, 'node_modules/.bin/serverless'),
    ['package', '--stage', 'prod', '--package', out],
    {
      cwd: repoRoot,
      stdio: 'pipe',
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', VIGIA_BUILD_FOLDER: work },
    },
  );
  const rows = [];
  for (const zip of readdirSync(out)
    .filter((f) => f.endsWith('.zip'))
    .sort()) {
    const name = zip.replace(/\.zip$/, '');
    const dir = path.join(out, name);
    execFileSync('unzip', ['-q', '-o', path.join(out, zip), '-d', dir]);
    // A function's bundle holds one handler file, named after its source (sweep runs scale's).
    const [file] = readdirSync(path.join(dir, 'functions')).filter((f) => f.endsWith('.mjs'));
    const handler = path.join(dir, 'functions', file ?? `${name}.mjs`);
    const initMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const script = `const t=performance.now();await import(${JSON.stringify(handler)});console.log(performance.now()-t)`;
      const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        env: { PATH: process.env.PATH, VIGIA_TABLE: 'bench', AWS_REGION: 'us-east-1' },
        encoding: 'utf8',
      });
      initMs.push(Number(stdout.trim().split('\n').pop()));
    }
    rows.push({
      function: name,
      zipKiB: Math.round(statSync(path.join(out, zip)).size / 1024),
      handlerKiB: Math.round(statSync(handler).size / 1024),
      initMsMedian: Math.round(median(initMs) * 10) / 10,
    });
  }
  if (asJson) console.log(JSON.stringify({ runs, functions: rows }));
  else {
    console.log(
      `bundle size and cold init (median of ${runs} fresh processes, Node ${process.version})`,
    );
    console.log('function        zip KiB  handler .mjs KiB  init ms');
    for (const r of rows) {
      console.log(
        `${r.function.padEnd(15)} ${String(r.zipKiB).padStart(7)}  ${String(r.handlerKiB).padStart(16)}  ${String(r.initMsMedian).padStart(7)}`,
      );
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
  rmSync(path.join(repoRoot, work), { recursive: true, force: true });
}
