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
