/**
 * One error type for the whole product. Every refusal carries a stable machine-readable code and a message a
 * person can act on; the HTTP layer maps the code's class to a status.
 */
export type ErrorClass =
  | 'malformed' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'too_large' // 413
  | 'rate_limited' // 429
  | 'overloaded' // 503
  | 'unavailable' // 503
  | 'internal'; // 500

const STATUS_BY_CLASS: Record<ErrorClass, number> = {
  malformed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  overloaded: 503,
  unavailable: 503,
  internal: 500,
};

export class GovchainError extends Error {
  readonly code: string;
  readonly errorClass: ErrorClass;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, errorClass: ErrorClass, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'GovchainError';
    this.code = code;
    this.errorClass = errorClass;
    this.details = details;
  }

  get httpStatus(): number {
    return STATUS_BY_CLASS[this.errorClass];
  }

  /** Whole seconds for a Retry-After header, when the refusal says when to retry (`details.retryAfterMs`). */
  get retryAfterSeconds(): number | undefined {
    const ms = this.details?.retryAfterMs;
    return typeof ms === 'number' && Number.isFinite(ms) ? Math.max(1, Math.ceil(ms / 1000)) : undefined;
  }

  toJSON(): { code: string; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function malformed(code: string, message: string, details?: Record<string, unknown>): GovchainError {
  return new GovchainError(code, 'malformed', message, details);
}

export function isGovchainError(err: unknown): err is GovchainError {
  return err instanceof GovchainError;
}
