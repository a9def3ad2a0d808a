// The few typed errors every service throws. They map to HTTP in exactly one place
// (`app.errors.ts`); the OAuth token route and the xAPI resource answer in their own formats.

export type ErrorKind =
  'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'upstream' | 'rate_limited';

export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  upstream: 502,
};

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** Machine-readable, stable, snake_case: what API clients switch on. */
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const Invalid = (code: string, message: string, details?: unknown) =>
  new AppError('invalid', code, message, details);
export const Unauthorized = (code: string, message: string) => new AppError('unauthorized', code, message);
export const Forbidden = (code: string, message: string) => new AppError('forbidden', code, message);
export const NotFound = (code: string, message: string) => new AppError('not_found', code, message);
export const Conflict = (code: string, message: string, details?: unknown) =>
  new AppError('conflict', code, message, details);
export const RateLimited = (code: string, message: string, retryAfterSeconds: number) =>
  new AppError('rate_limited', code, message, { retryAfterSeconds });
export const Upstream = (code: string, message: string, details?: unknown) =>
  new AppError('upstream', code, message, details);
