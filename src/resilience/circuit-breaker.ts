// A circuit breaker per dependency (SPEC O5): closed while calls succeed; open after
// `failureThreshold` consecutive failures, refusing calls for `openForMs` so a failing dependency is
// not hammered; then half-open, letting one trial call through — its success closes the breaker,
// its failure opens it again. Pure: the clock is injected, state lives in the instance.
import { VigiaError } from '../errors';
import type { Clock } from '../ports';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerPolicy {
  /** Consecutive failures that open the breaker. */
  failureThreshold: number;
  /** How long an open breaker refuses calls before it lets a trial through. */
  openForMs: number;
}

export const defaultBreakerPolicy: BreakerPolicy = { failureThreshold: 5, openForMs: 30_000 };

export interface BreakerSnapshot {
  dependency: string;
  state: BreakerState;
  consecutiveFailures: number;
  openedAt: string | null;
  /** When an open breaker lets its next trial call through. */
  retryAt: string | null;
  lastError: string | null;
}

/** A call refused because its dependency's breaker is open: nothing was sent. */
export class CircuitOpenError extends VigiaError {
  constructor(
    readonly dependency: string,
    readonly retryAt: string | null,
  ) {
    super(
      `${dependency} circuit breaker is open (retry after ${retryAt ?? 'the trial call'})`,
      'circuit_open',
      { kind: 'unavailable' },
    );
  }
}

/** Whether the error, or one it wraps (adapters wrap SDK errors with a cause), is a refusal. */
export function isCircuitOpen(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof CircuitOpenError) return true;
  }
  return false;
}

export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private failures = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;
  private lastError: string | null = null;

  constructor(
    readonly dependency: string,
    private readonly clock: Clock,
    private readonly policy: BreakerPolicy = defaultBreakerPolicy,
  ) {}

  /** The state now: an open breaker whose wait is over reads half-open. */
  current(): BreakerState {
    if (this.state === 'open' && this.clock.now().getTime() >= this.retryAtMs()) {
      this.state = 'half-open';
      this.trialInFlight = false;
    }
    return this.state;
  }

  /** Whether a call may go out now; in half-open, only the one trial may. */
  tryAcquire(): boolean {
    const state = this.current();
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  onSuccess(): void {
    this.state = 'closed';
    this.failures = 0;
    this.openedAt = null;
    this.trialInFlight = false;
  }

  onFailure(error: string): void {
    this.lastError = error;
    this.failures += 1;
    this.trialInFlight = false;
    if (this.state === 'half-open' || this.failures >= this.policy.failureThreshold) {
      this.state = 'open';
      this.openedAt = this.clock.now().getTime();
    }
  }

  /**
   * Runs the call through the breaker. `counts` says which errors are the dependency's fault (a
   * refusal of a bad request is not): only those count towards opening it.
   */
  async run<T>(call: () => Promise<T>, counts: (err: unknown) => boolean = () => true): Promise<T> {
    if (!this.tryAcquire()) throw new CircuitOpenError(this.dependency, this.snapshot().retryAt);
    try {
      const result = await call();
      this.onSuccess();
      return result;
    } catch (err) {
      if (counts(err)) this.onFailure((err as Error)?.message ?? String(err));
      // A trial that failed for the caller's own reasons says nothing: let the next one try.
      else if (this.state === 'half-open') this.trialInFlight = false;
      else if (this.state === 'closed') this.failures = 0;
      throw err;
    }
  }

  snapshot(): BreakerSnapshot {
    const state = this.current();
    return {
      dependency: this.dependency,
      state,
      consecutiveFailures: this.failures,
      openedAt: this.openedAt === null ? null : new Date(this.openedAt).toISOString(),
      retryAt: state === 'open' ? new Date(this.retryAtMs()).toISOString() : null,
      lastError: this.lastError,
    };
  }

  private retryAtMs(): number {
    return (this.openedAt ?? 0) + this.policy.openForMs;
  }
}
