// Starts moto_server on 127.0.0.1 (or reuses one already answering there) and stops only what it started.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface Emulator {
  endpoint: string;
  startedHere: boolean;
  stop(): Promise<void>;
}

export const MOTO_INSTALL_HINT =
  'moto_server is not installed: install it with `pip install "moto[server]"` (Python 3), then run this again.';

export async function isAnswering(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/moto-api/data.json`, {
      signal: AbortSignal.timeout(1500),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/** moto_server with a repair for its streams after a cancelled transaction (see moto-server.py). */
const REPAIRED_MOTO = join(import.meta.dirname, 'moto-server.py');

function motoCommand(): [string, string[]] | null {
  if (spawnSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' }).status === 0) {
    return ['python3', [REPAIRED_MOTO]];
  }
  if (spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status === 0) {
    // moto in its own environment (pipx): no repair, streams may stall after a failed transaction.
    process.stderr.write(
      'note: python3 cannot import moto, so moto_server runs without the stream repair in scripts/lib/moto-server.py\n',
    );
    return ['moto_server', []];
  }
  return null;
}

export async function startEmulator(endpoint: string): Promise<Emulator> {
  if (await isAnswering(endpoint)) return { endpoint, startedHere: false, stop: async () => {} };
  const url = new URL(endpoint);
  if (!['127.0.0.1', 'localhost'].includes(url.hostname)) {
    throw new Error(
      `nothing answers at ${endpoint}, and only a local emulator (127.0.0.1) can be started here`,
    );
  }
  const command = motoCommand();
  if (!command) throw new Error(MOTO_INSTALL_HINT);
  const [cmd, args] = command;
  const started = await startMotoProcess(endpoint, 'moto_server', cmd, args);
  return { endpoint, startedHere: true, stop: started.stop };
}

/**
 * Runs `cmd args` (a moto server: moto_server, or a script that wraps it) on 127.0.0.1 at the
 * endpoint's port, in its own process group, and waits up to 30 s for it to answer.
 */
export async function startMotoProcess(
  endpoint: string,
  name: string,
  cmd: string,
  args: readonly string[],
): Promise<{ stop(): Promise<void> }> {
  const port = new URL(endpoint).port || '5000';
  const child: ChildProcess = spawn(cmd, [...args, '-H', '127.0.0.1', '-p', port], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const deadline = Date.now() + 30_000;
  while (!(await isAnswering(endpoint))) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited (${child.exitCode}): ${stderr.trim()}`);
    if (Date.now() > deadline) {
      killGroup(child);
      throw new Error(`${name} did not answer at ${endpoint} within 30 s: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    stop: async () => {
      killGroup(child);
      await new Promise((r) => setTimeout(r, 100));
    },
  };
}

export function killGroup(child: ChildProcess) {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
}

export async function resetEmulator(endpoint: string) {
  await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
}
