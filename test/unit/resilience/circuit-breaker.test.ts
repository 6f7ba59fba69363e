// The circuit breaker's state machine, on an injected clock.
import { describe, expect, it } from 'vitest';
import {
  CircuitBreaker,
  CircuitOpenError,
  isCircuitOpen,
} from '../../../src/resilience/circuit-breaker';

function setup() {
  let t = Date.parse('2026-11-22T10:00:00Z');
  const clock = { now: () => new Date(t) };
  const breaker = new CircuitBreaker('ecs', clock, { failureThreshold: 3, openForMs: 30_000 });
  return { breaker, advance: (ms: number) => (t += ms) };
}
const fail = () => Promise.reject(new Error('ECS unreachable'));
const ok = () => Promise.resolve('done');

describe('circuit breaker', () => {
  it('stays closed below the threshold, and a success resets the count', async () => {
    const { breaker } = setup();
    await expect(breaker.run(fail)).rejects.toThrow('ECS unreachable');
    await expect(breaker.run(fail)).rejects.toThrow('ECS unreachable');
    await expect(breaker.run(ok)).resolves.toBe('done');
    await expect(breaker.run(fail)).rejects.toThrow('ECS unreachable');
    await expect(breaker.run(fail)).rejects.toThrow('ECS unreachable');

    expect(breaker.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 2 });
  });

  it('opens after the threshold and refuses calls without making them until the wait is over', async () => {
    const { breaker, advance } = setup();
    for (let i = 0; i < 3; i++) await expect(breaker.run(fail)).rejects.toThrow();
    let called = 0;

    await expect(breaker.run(async () => ++called)).rejects.toBeInstanceOf(CircuitOpenError);
    advance(29_000);
    await expect(breaker.run(async () => ++called)).rejects.toThrow(
      /ecs circuit breaker is open \(retry after 2026-11-22T10:00:30.000Z\)/,
    );

    expect(called).toBe(0);
    expect(breaker.snapshot()).toMatchObject({
      state: 'open',
      openedAt: '2026-11-22T10:00:00.000Z',
      retryAt: '2026-11-22T10:00:30.000Z',
      lastError: 'ECS unreachable',
    });
  });

  it('half-opens after the wait: one trial at a time; its success closes the breaker', async () => {
    const { breaker, advance } = setup();
    for (let i = 0; i < 3; i++) await expect(breaker.run(fail)).rejects.toThrow();
    advance(30_000);
    expect(breaker.current()).toBe('half-open');

    let release!: () => void;
    const trial = breaker.run(() => new Promise<string>((r) => (release = () => r('ok'))));
    await expect(breaker.run(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    release();
    await expect(trial).resolves.toBe('ok');

    expect(breaker.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    await expect(breaker.run(ok)).resolves.toBe('done');
  });

  it('opens again at once when the trial fails', async () => {
    const { breaker, advance } = setup();
    for (let i = 0; i < 3; i++) await expect(breaker.run(fail)).rejects.toThrow();
    advance(30_000);

    await expect(breaker.run(fail)).rejects.toThrow('ECS unreachable');

    expect(breaker.snapshot()).toMatchObject({
      state: 'open',
      retryAt: '2026-11-22T10:01:00.000Z',
    });
  });

  it('does not count errors that are the caller’s own', async () => {
    const { breaker } = setup();
    const refused = () => Promise.reject(new Error('ServiceNotFoundException'));
    for (let i = 0; i < 5; i++) {
      await expect(breaker.run(refused, () => false)).rejects.toThrow();
    }

    expect(breaker.current()).toBe('closed');
  });

  it('recognises a refusal wrapped by an adapter', () => {
    const refusal = new CircuitOpenError('sns', null);
    const wrapped = new Error('SNS topic failed', { cause: refusal });

    expect(isCircuitOpen(wrapped)).toBe(true);
    expect(isCircuitOpen(new Error('other'))).toBe(false);
  });
});
