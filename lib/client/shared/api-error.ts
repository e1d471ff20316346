import type { ErrorCode } from '../../protocol/index.ts';

/**
 * An error answer from the server, with its stable code; `NETWORK` when no answer came. Shared
 * by the CLI's checked client and the dashboard's light one, so callers test one class.
 */
export class ApiError extends Error {
  readonly code: ErrorCode | 'NETWORK';
  readonly status: number;

  constructor(code: ErrorCode | 'NETWORK', status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}
