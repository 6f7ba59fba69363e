// Bundle size and cold initialisation per function: packages the stack, then imports each bundled
// handler in a fresh Node process (median of several) to time module initialisation. With
// --against REV it also packages that revision (a git worktree under .local/) and times both in
// the same run, interleaved, so the machine's load falls on both alike.
//   npm run bench:bundle -- [--runs 5] [--against f90bb6a] [--json]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from 'simple-statistics';
import { repoRoot } from '../scripts/lib/stack-definitions';

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const runs = Number(option('--runs') ?? 5) || 5;
const against = option('--against');
const asJson = args.includes('--json');

interface Bundle {
  function: string;
  zipKiB: number;
  handlerKiB: number;
  handler: string;
}

/** `serverless package` in `root`, each zip unpacked under `out`. */
function packageBundles(root: string, out: string): Bundle[] {
  const work = path.join('.local', `bundle-${process.pid}`);
  try {
    execFileSync(
      path.join(root, 'node_modules/.bin/serverless'),
      ['package', '--stage', 'prod', '--package', out],
      {
        cwd: root,
        stdio: 'pipe',
        env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', VIGIA_BUILD_FOLDER: work },
      },
    );
  } finally {
    rmSync(path.join(root, work), { recursive: true, force: true });
  }
  const bundles: Bundle[] = [];
  for (const zip of readdirSync(out)
    .filter((f) => f.endsWith('.zip'))
    .sort()) {
    const name = zip.replace(/\.zip$/, '');
    const dir = path.join(out, name);
    execFileSync('unzip', ['-q', '-o', path.join(out, zip), '-d', dir]);
    // A function's bundle holds one handler file, named after its source (sweep runs scale's).
    const [file] = readdirSync(path.join(dir, 'functions')).filter((f) => f.endsWith('.mjs'));
    const handler = path.join(dir, 'functions', file ?? `${name}.mjs`);
    bundles.push({
      function: name,
      zipKiB: Math.round(statSync(path.join(out, zip)).size / 1024),
      handlerKiB: Math.round(statSync(handler).size / 1024),
      handler,
    });
  }
  return bundles;
}

function initMs(handler: string): number {
  const script = `const t=performance.now();await import(${JSON.stringify(handler)});console.log(performance.now()-t)`;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, VIGIA_TABLE: 'bench', AWS_REGION: 'us-east-1' },
    encoding: 'utf8',
  });
  return Number(stdout.trim().split('\n').pop());
}

/** A worktree of `rev` beside the checkout, sharing its node_modules. */
function referenceTree(rev: string): string {
  const dir = path.join(repoRoot, '.local', `bundle-ref-${rev}`);
  if (!existsSync(dir)) {
    execFileSync('git', ['worktree', 'add', '--detach', dir, rev], {
      cwd: repoRoot,
      stdio: 'pipe',
    });
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  }
  return dir;
}

const out = mkdtempSync(path.join(os.tmpdir(), 'vigia-bundle-'));
const refTree = against ? referenceTree(against) : null;
try {
  const current = packageBundles(repoRoot, path.join(out, 'current'));
  const reference = refTree ? packageBundles(refTree, path.join(out, 'ref')) : [];
  const times = new Map<string, number[]>();
  const time = (key: string, handler: string) =>
    times.set(key, [...(times.get(key) ?? []), initMs(handler)]);
  for (let i = 0; i < runs; i++) {
    for (const b of current) {
      const ref = reference.find((r) => r.function === b.function);
      // Alternate which goes first, so neither always meets a warmer disk cache.
      if (ref && i % 2 === 1) time(`ref:${b.function}`, ref.handler);
      time(b.function, b.handler);
      if (ref && i % 2 === 0) time(`ref:${b.function}`, ref.handler);
    }
  }
  const rows = current.map((b) => {
    const ref = reference.find((r) => r.function === b.function);
    const ms = median(times.get(b.function)!);
    const refMs = ref ? median(times.get(`ref:${b.function}`)!) : null;
    return {
      function: b.function,
      zipKiB: b.zipKiB,
      handlerKiB: b.handlerKiB,
      initMsMedian: Math.round(ms * 10) / 10,
      ...(ref && refMs !== null
        ? {
            reference: {
              rev: against,
              zipKiB: ref.zipKiB,
              handlerKiB: ref.handlerKiB,
              initMsMedian: Math.round(refMs * 10) / 10,
            },
            initRatio: Math.round((ms / refMs) * 100) / 100,
          }
        : {}),
    };
  });
  if (asJson) console.log(JSON.stringify({ runs, against: against ?? null, functions: rows }));
  else {
    console.log(
      `bundle size and cold init (median of ${runs} fresh processes, Node ${process.version})` +
        (against ? `, against ${against} in the same run` : ''),
    );
    console.log(
      'function        zip KiB  handler .mjs KiB  init ms' +
        (against ? '   ref KiB  ref ms  ratio' : ''),
    );
    for (const r of rows) {
      const ref = 'reference' in r && r.reference ? r.reference : null;
      console.log(
        `${r.function.padEnd(15)} ${String(r.zipKiB).padStart(7)}  ${String(r.handlerKiB).padStart(16)}  ${String(r.initMsMedian).padStart(7)}` +
          (ref
            ? `  ${String(ref.handlerKiB).padStart(8)}  ${String(ref.initMsMedian).padStart(6)}  ${String(r.initRatio).padStart(5)}`
            : ''),
      );
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
  if (refTree) {
    execFileSync('git', ['worktree', 'remove', '--force', refTree], {
      cwd: repoRoot,
      stdio: 'pipe',
    });
  }
}
