import type { ErrorCode } from '../protocol/index.ts';

/** The one error the domain throws on purpose; the server maps `code` to a status in one table. */
export class VibesError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'VibesError';
    this.code = code;
  }
}

export const notFound = (sessionId: string): VibesError => new VibesError('NOT_FOUND', `No session with id ${sessionId}`);
