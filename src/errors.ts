// Typed domain errors. Each carries a kind (what went wrong, as data) and the `code` clients see;
// lib/middleware/http.ts is the one place that turns kinds into responses and logs.

/** What went wrong, independent of any transport: the HTTP edge maps each to one status. */
export type ErrorKind =
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'too_large'
  | 'unsupported_media'
  | 'unprocessable'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface VigiaErrorOptions {
  cause?: unknown;
  /** Defaults to 'internal': an error nobody classified is the server's fault. */
  kind?: ErrorKind;
}

export class VigiaError extends Error {
  readonly kind: ErrorKind;

  constructor(
    message: string,
    readonly code: string,
    options: VigiaErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.kind = options.kind ?? 'internal';
  }
}

/** Input that breaks a schema: names every offending field. */
export class ValidationError extends VigiaError {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(message, 'validation_failed', { kind: 'validation' });
  }
}

export class NotFoundError extends VigiaError {
  constructor(what: string) {
    super(`${what} not found`, 'not_found', { kind: 'not_found' });
  }
}

/** A conditional write lost: someone else changed the item first. */
export class ConflictError extends VigiaError {
  constructor(message: string) {
    super(message, 'conflict', { kind: 'conflict' });
  }
}

/**
 * A change was sent and no answer came back (a timeout, a cut connection, a 5xx): it may or may not
 * have been applied. Sending it again could act twice (a second deployment), so the caller leaves the
 * claim to go stale and the takeover reads what the service shows before acting again.
 */
export class OutcomeUnknownError extends VigiaError {
  constructor(message: string, cause: unknown) {
    super(message, 'outcome_unknown', { cause, kind: 'unavailable' });
  }
}

export function isOutcomeUnknown(err: unknown): err is OutcomeUnknownError {
  return err instanceof OutcomeUnknownError;
}

/** The caller could not be identified (no key, or a key nobody issued). */
export class UnauthorizedError extends VigiaError {
  constructor(message = 'a valid X-API-Key header is required') {
    super(message, 'unauthorized', { kind: 'unauthorized' });
  }
}

/** The caller is known but may not do this. */
export class ForbiddenError extends VigiaError {
  constructor(readonly scope: string) {
    super(`this API key lacks the '${scope}' scope`, 'forbidden', { kind: 'forbidden' });
  }
}

/** The caller asked too often; it may try again after retryAfterSeconds. */
export class RateLimitedError extends VigiaError {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many requests: retry in ${retryAfterSeconds} s`, 'rate_limited', {
      kind: 'rate_limited',
    });
  }
}

/** Nothing answers to this address at all (as opposed to a missing item, NotFoundError). */
export class NoRouteError extends VigiaError {
  constructor(method: string, path: string) {
    super(`no route ${method} ${path}`, 'not_found', { kind: 'not_found' });
  }
}

/** The address exists, but not for this verb; `allowed` lists the verbs that would work. */
export class MethodNotAllowedError extends VigiaError {
  constructor(
    method: string,
    path: string,
    readonly allowed: string[],
  ) {
    super(`${method} is not allowed on ${path}`, 'method_not_allowed', {
      kind: 'method_not_allowed',
    });
  }
}

export class PayloadTooLargeError extends VigiaError {
  constructor(maxBytes: number) {
    super(`body is larger than ${maxBytes} bytes`, 'payload_too_large', { kind: 'too_large' });
  }
}

export class UnsupportedMediaTypeError extends VigiaError {
  constructor(got: string) {
    super(
      `body must be sent as Content-Type: application/json (got '${got || 'none'}')`,
      'unsupported_media_type',
      { kind: 'unsupported_media' },
    );
  }
}

/** A retried request reused its Idempotency-Key for something else: it cannot be honoured. */
export class IdempotencyKeyReusedError extends VigiaError {
  constructor(key: string) {
    super(
      `Idempotency-Key '${key}' was already used for a different request`,
      'idempotency_key_reused',
      { kind: 'unprocessable' },
    );
  }
}

/**
 * The deployed configuration (config/services.json) breaks its schema: a fault of the server, not
 * of the request that happened to need it. Its message and issues are for the logs, never a client.
 */
export class ConfigurationError extends VigiaError {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
    options?: { cause?: unknown },
  ) {
    super(message, 'configuration_invalid', options);
  }
}
