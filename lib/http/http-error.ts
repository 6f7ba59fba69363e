// Errors of the HTTP edge itself (auth, limits, media types): each carries its status and headers.
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const unauthorized = (message = 'a valid X-API-Key header is required') =>
  new HttpError(401, 'unauthorized', message, { 'www-authenticate': 'ApiKey header="X-API-Key"' });
export const forbidden = (scope: string) =>
  new HttpError(403, 'forbidden', `this API key lacks the '${scope}' scope`);
export const tooManyRequests = (retryAfter: number) =>
  new HttpError(429, 'rate_limited', `too many requests: retry in ${retryAfter} s`, {
    'retry-after': String(retryAfter),
  });
