// POSTs JSON to a webhook with retries (exponential backoff, full jitter, Retry-After honoured).
// The URL is a secret (Slack's carries the token): it never appears in an error or a log line.
import { VigiaError } from '../../src/errors';

export class WebhookError extends VigiaError {
  constructor(
    message: string,
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, 'webhook_failed', options);
  }
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 5_000,
  timeoutMs: 5_000,
};

export interface PostDeps {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

const realDeps: PostDeps = {
  fetch: (...args) => fetch(...args),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** Full jitter: a uniform delay up to the exponential cap, so retries of many senders spread out. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * cap);
}

function retryAfterMs(response: Response, policy: RetryPolicy): number | null {
  const header = response.headers.get('retry-after');
  if (header === null) return null;
  const seconds = Number(header);
  return Number.isFinite(seconds) ? Math.min(seconds * 1000, policy.maxDelayMs) : null;
}

const retryable = (status: number) => status === 429 || status >= 500;

/**
 * Sends `payload` to `url`; `label` ("slack webhook") names the target in errors instead of the
 * URL. Returns the number of attempts it took. Throws WebhookError when it gives up.
 */
export async function postJson(
  url: string,
  payload: unknown,
  label: string,
  policy: RetryPolicy = defaultRetryPolicy,
  deps: PostDeps = realDeps,
): Promise<{ attempts: number; status: number }> {
  const body = JSON.stringify(payload);
  let last: WebhookError | null = null;
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    let wait: number | null = null;
    try {
      const response = await deps.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(policy.timeoutMs),
      });
      const text = await response.text().catch(() => '');
      if (response.ok) return { attempts: attempt, status: response.status };
      // Slack explains a rejection in a short body such as "invalid_blocks"; it holds no secret.
      last = new WebhookError(
        `${label} answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
        response.status,
      );
      if (!retryable(response.status)) throw last;
      wait = retryAfterMs(response, policy);
    } catch (err) {
      if (err instanceof WebhookError && !retryable(err.status ?? 500)) throw err;
      if (!(err instanceof WebhookError)) {
        const code =
          (err as { cause?: { code?: string }; name?: string }).cause?.code ??
          (err as { name?: string }).name ??
          'error';
        // Not the original error: its message or cause may spell out the URL.
        last = new WebhookError(`${label} unreachable (${code})`, null);
      }
    }
    if (attempt < policy.maxAttempts) {
      await deps.sleep(wait ?? backoffDelay(attempt, policy, deps.random));
    }
  }
  throw new WebhookError(
    `${last?.message ?? `${label} failed`} (after ${policy.maxAttempts} attempts)`,
    last?.status ?? null,
  );
}
