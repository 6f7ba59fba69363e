// How a runbook call that went wrong is told apart: refused or failed (nothing to wait for, the
// decision fails with the reason) or unanswered (it may have run: OutcomeUnknownError, the decision
// is held and the sweep takes it over with the same idempotency key).
import { OutcomeUnknownError } from '../../src/errors';

/** Node's and the SDK's names for "the request never left": nothing can have run. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/** Names for "sent, and no answer came": it may have run. */
const NO_ANSWER = new Set([
  'AbortError',
  'TimeoutError',
  'RequestTimeout',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function codeOf(err: unknown): string {
  const e = err as {
    name?: string;
    code?: string;
    cause?: { code?: string; name?: string };
  } | null;
  return e?.cause?.code ?? e?.code ?? e?.cause?.name ?? e?.name ?? 'Error';
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

/**
 * The error to throw for a failed call to runbook `what`: OutcomeUnknownError when it may have run
 * (a timeout, a cut connection, a 5xx from AWS), otherwise an Error naming the reason.
 */
export function runbookCallError(err: unknown, what: string, timeoutMs: number): Error {
  const code = codeOf(err);
  const name = (err as { name?: string } | null)?.name ?? '';
  const status = statusOf(err);
  const message = (err as Error | null)?.message ?? String(err);
  if (NEVER_SENT.has(code)) return new Error(`cannot reach ${what} (${code})`);
  if (NO_ANSWER.has(code) || NO_ANSWER.has(name) || (status !== undefined && status >= 500)) {
    const why =
      code === 'AbortError' || code === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : code;
    return new OutcomeUnknownError(`${what}: ${why}; it may have run`, err);
  }
  return new Error(`${what}: ${name && name !== 'Error' ? `${name}: ` : ''}${message}`);
}
