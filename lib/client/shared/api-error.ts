import type { ErrorCode } from '../../protocol/index.ts';

/**
 * An error answer from the server, with its stable code; `NETWORK` when no answer came. Shared
 * by the CLI's client and the dashboard's, so callers test one class.
 */
export class ApiError extends Error {
  readonly code: ErrorCode | 'NETWORK';
  readonly status: number;

  constructor(code: ErrorCode | 'NETWORK', status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

/**
 * The ApiError an error answer stands for: its `{error: {code, message}}` body, or, when the body
 * is not one (a proxy's page, a crash), a code from the status alone.
 */
export function apiErrorOf(status: number, body: unknown, what: string): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (typeof error?.code === 'string' && typeof error.message === 'string') {
    return new ApiError(error.code as ErrorCode, status, error.message);
  }
  return new ApiError(status === 401 ? 'UNAUTHORIZED' : 'INTERNAL', status, `Unexpected ${status} answer from ${what}`);
}
