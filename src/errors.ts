// Typed domain errors; lib/middleware maps them to responses and logs in exactly one place.
export class VigiaError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input that breaks a schema: names every offending field. */
export class ValidationError extends VigiaError {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(message, 'validation_failed');
  }
}

export class NotFoundError extends VigiaError {
  constructor(what: string) {
    super(`${what} not found`, 'not_found');
  }
}

/** A conditional write lost: someone else changed the item first. */
export class ConflictError extends VigiaError {
  constructor(message: string) {
    super(message, 'conflict');
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
