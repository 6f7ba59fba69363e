// Function heartbeats for /health tests: every function of the stack, each with a recent success.
import type { FunctionHeartbeat } from '../../src/ports';

export const functionNames = [
  'collect',
  'collect-shard',
  'wake',
  'decide',
  'autoscale',
  'watch',
  'scale',
  'sweep',
  'verify',
  'notify',
  'alert-timers',
  'slack',
] as const;

export function aFunctionBeat(
  name: string,
  now: Date,
  overrides: Partial<FunctionHeartbeat> = {},
): FunctionHeartbeat {
  return {
    name,
    lastSuccessAt: new Date(now.getTime() - 20_000).toISOString(),
    lastFailureAt: null,
    lastError: null,
    errors: 0,
    runs: 10,
    breakers: [],
    ...overrides,
  };
}

/** Every function ran 20 s ago and never failed. */
export function healthyFunctions(now: Date): FunctionHeartbeat[] {
  return functionNames.map((name) => aFunctionBeat(name, now));
}
