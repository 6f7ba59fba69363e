// The soak's fault-injecting proxy (bench/soak/fault-proxy.ts) in front of a test's emulator, with
// no random faults: a test scripts exactly which call fails, and how, by setting `script`.
import { FaultProxy, type FaultKind } from '../../bench/soak/fault-proxy';
import { seededRandom } from '../../bench/soak/random';

export type FaultScript = (op: string, body: string) => FaultKind | null;

export interface ScriptedFaults {
  /** The endpoint to give the clients under test. */
  through: string;
  proxy: FaultProxy;
  /** Decides each call's fault (`null`: let it through); starts letting everything through. */
  script: FaultScript;
  stop(): Promise<void>;
}

export async function scriptedFaults(target: string): Promise<ScriptedFaults> {
  const proxy = new FaultProxy({
    target,
    random: seededRandom(1),
    faultRate: 0,
    clientTimeoutMs: 30_000,
    scripted: (op, body) => faults.script(op, body),
  });
  const faults: ScriptedFaults = {
    proxy,
    through: await proxy.start(),
    script: () => null,
    stop: () => proxy.stop(),
  };
  return faults;
}

/**
 * The first call whose operation is `op` and whose body contains `marker` reaches the emulator (it
 * is applied) and its answer is cut, as a lost answer; the SDK then sends it again. Returns how many
 * matching calls were seen (≥ 2 when the retry happened).
 */
export function cutTheFirst(faults: ScriptedFaults, op: string, marker: string): () => number {
  let seen = 0;
  faults.script = (o, body) =>
    o === op && body.includes(marker) && seen++ === 0 ? 'cut-after' : null;
  return () => seen;
}
