// The circuit breakers of this container, one per dependency (ECS, CloudWatch, SNS, each webhook).
// State is in memory, per Lambda container: each container learns on its own that a dependency is
// failing, which is what Lambda gives without a shared store; the heartbeat middleware writes each
// container's breakers into its function's heartbeat, so /health shows them all.
import {
  CircuitBreaker,
  defaultBreakerPolicy,
  type BreakerPolicy,
  type BreakerSnapshot,
} from '../../src/resilience/circuit-breaker';
import { systemClock } from '../clock';
import { powertoolsTelemetry } from '../telemetry/powertools-metrics';

export type Dependency = 'ecs' | 'cloudwatch' | 'sns' | 'slack-webhook' | 'generic-webhook';

const breakers = new Map<Dependency, CircuitBreaker>();
let policy: BreakerPolicy = defaultBreakerPolicy;

export function breakerFor(dependency: Dependency): CircuitBreaker {
  let breaker = breakers.get(dependency);
  if (!breaker) {
    breaker = new CircuitBreaker(dependency, systemClock, policy);
    breakers.set(dependency, breaker);
  }
  return breaker;
}

/** The breakers this container has used so far. */
export function breakerSnapshots(): BreakerSnapshot[] {
  return [...breakers.values()].map((b) => b.snapshot());
}

/** Tests start from closed breakers, optionally with their own policy. */
export function resetBreakers(next: BreakerPolicy = defaultBreakerPolicy): void {
  breakers.clear();
  policy = next;
}

const FAULT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ECONNRESET',
  'ETIMEDOUT',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalError',
  'ServerException',
]);

/**
 * Whether an AWS SDK error is the dependency's fault (unreachable, timing out, throttling, 5xx) and
 * so counts towards opening its breaker; a refused request (4xx: a missing service, a bad
 * parameter) is the caller's and does not.
 */
export function isDependencyFault(err: unknown): boolean {
  const e = err as {
    name?: string;
    code?: string;
    cause?: { code?: string };
    $metadata?: { httpStatusCode?: number };
  } | null;
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  return [e?.name, e?.code, e?.cause?.code].some((c) => c !== undefined && FAULT_CODES.has(c));
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<unknown>,
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

/**
 * Puts an SDK client's every call through the dependency's breaker. It sits before the SDK's own
 * retries, so one call counts once however many attempts it took.
 */
export function guardClient<C>(client: C, dependency: Dependency): C {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next) => (args) =>
      breakerFor(dependency).run(
        () => next(args),
        (err) => countedFault(dependency, err),
      ),
    { step: 'initialize', name: 'vigiaCircuitBreaker' },
  );
  return client;
}

/** Whether the error is the dependency's fault; each one counted as `DependencyFailures`. */
function countedFault(dependency: string, err: unknown): boolean {
  return countedAs(dependency, isDependencyFault)(err);
}

/** A breaker's fault check that also counts each fault as `DependencyFailures` (the webhooks). */
export function countedAs(
  dependency: string,
  isFault: (err: unknown) => boolean,
): (err: unknown) => boolean {
  return (err) => {
    const fault = isFault(err);
    if (fault) powertoolsTelemetry.count('DependencyFailures', 1, { dependency });
    return fault;
  };
}

/** Counts a client's dependency faults without a breaker (DynamoDB: nothing to degrade to). */
export function countFaults<C>(client: C, dependency: string): C {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next) => (args) =>
      next(args).catch((err: unknown) => {
        countedFault(dependency, err);
        throw err;
      }),
    { step: 'initialize', name: 'vigiaFaultCounter' },
  );
  return client;
}
