// Turns SDK failures into errors that name the resource and the endpoint, never a bare stack.
import { VigiaError } from '../../src/errors';

export class AwsAdapterError extends VigiaError {
  constructor(message: string, cause: unknown) {
    super(message, 'aws_failure', { cause, kind: 'unavailable' });
  }
}

export function isConditionalCheckFailed(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

/** A transaction refused because one of its conditions failed (or a plain conditional write). */
export function isTransactionCancelled(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return name === 'TransactionCanceledException' || name === 'ConditionalCheckFailedException';
}

function errorCode(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string } } | null;
  return e?.code ?? e?.cause?.code ?? e?.name ?? 'Error';
}

/** Wraps an SDK error: `what` names the resource, e.g. "DynamoDB table 'vigia-dev'". */
export function awsError(
  err: unknown,
  what: string,
  endpoint: string | undefined,
): AwsAdapterError {
  const code = errorCode(err);
  const where = endpoint ? ` at ${endpoint}` : '';
  const message = (err as Error | null)?.message ?? String(err);
  if (code === 'ResourceNotFoundException' || code === 'NotFoundException' || code === 'NotFound') {
    return new AwsAdapterError(`${what} does not exist${where}: ${message}`, err);
  }
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'ETIMEDOUT'].includes(code)) {
    return new AwsAdapterError(`cannot reach ${what}${where} (${code})`, err);
  }
  return new AwsAdapterError(`${what}${where} failed: ${code}: ${message}`, err);
}
