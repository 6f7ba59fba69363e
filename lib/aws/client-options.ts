// What every SDK client here shares: the region, one endpoint setting (moto, LocalStack or AWS),
// retries and X-Ray capture. Each client lives in its own file so a function's bundle holds only the
// clients it uses.
import { traced } from '../telemetry/tracer';
import { boundToDeadline } from './deadline';

export interface AwsSettings {
  endpoint: string | undefined;
  region: string;
  /** Longest wait for one attempt's answer; a frozen endpoint fails instead of hanging. */
  requestTimeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 4_000;

/** The local emulator (moto, one Python process) can stall for seconds under load; AWS does not. */
export const EMULATOR_REQUEST_TIMEOUT_MS = 30_000;

export function clientOptions(c: AwsSettings) {
  const requestTimeout = c.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return {
    region: c.region,
    maxAttempts: 4,
    requestHandler: {
      connectionTimeout: Math.min(1_000, requestTimeout),
      requestTimeout,
      throwOnRequestTimeout: true,
    },
    ...(c.endpoint ? { endpoint: c.endpoint } : {}),
  };
}

/** A client factory that builds one client per region and endpoint, once per container. */
export function oncePerEndpoint<T>(create: (c: AwsSettings) => T): (c: AwsSettings) => T {
  const built = new Map<string, T>();
  return (c) => {
    const key = `${c.region}|${c.endpoint ?? ''}|${c.requestTimeoutMs ?? ''}`;
    let client = built.get(key);
    if (client === undefined) {
      // Traced here, once for every client: each call an X-Ray subsegment (a no-op off AWS); and
      // each call cut at the deadline of the work it is made for (deadline.ts).
      client = boundToDeadline(traced(create(c)));
      built.set(key, client);
    }
    return client;
  };
}
