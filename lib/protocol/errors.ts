import { z } from 'zod';

/** The closed set of error codes, with the HTTP status each one travels with. */
export const ERROR_STATUS = {
  INVALID_JSON: 400,
  VALIDATION_FAILED: 400,
  INVALID_CWD: 400,
  INVALID_PATH: 400,
  MISSING_CLIENT_ID: 400,
  UNAUTHORIZED: 401,
  INVALID_PAIRING_CODE: 401,
  FORBIDDEN_ORIGIN: 403,
  FORBIDDEN_HOST: 403,
  TOKEN_REQUIRED: 403,
  NOT_SUBSCRIBED: 403,
  BYPASS_NOT_ALLOWED: 403,
  /** A file path that leaves the session's folder: '..', absolute, a link out, encoded tricks. */
  PATH_OUTSIDE: 403,
  /** A path inside the folder that is never served: .git internals, vibes' own home, a FIFO or device. */
  PATH_FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_STATE: 409,
  /** Rewind while a turn runs: interrupt it or wait for it to end. */
  TURN_RUNNING: 409,
  /** Claude cannot rewind to that message (its reason), or the message has no checkpoint. */
  CANNOT_REWIND: 409,
  LENGTH_REQUIRED: 411,
  PAYLOAD_TOO_LARGE: 413,
  /** A diff or file past the caps, where a summary cannot stand in. */
  FILE_TOO_LARGE: 413,
  /** An attachment past its kind's size cap, or a message's attachments past their total. */
  ATTACHMENT_TOO_LARGE: 413,
  /** An image wider or taller than Claude takes, or with more pixels than vibes accepts (a decompression bomb). */
  IMAGE_TOO_LARGE: 413,
  /** More attachments in one message than allowed. */
  TOO_MANY_ATTACHMENTS: 413,
  /** Bytes that are not a PNG, JPEG, GIF, WebP, PDF or UTF-8 text, whatever their name or Content-Type says. */
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_SESSIONS: 429,
  TOO_MANY_CLIENTS: 429,
  /** One signed-in browser holds as many event streams as it may. */
  TOO_MANY_STREAMS: 429,
  RATE_LIMITED: 429,
  METHOD_NOT_ALLOWED: 405,
  INTERNAL: 500,
  /** In a cluster: the machine running the session did not answer in time. */
  NODE_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ErrorCode = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);

export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
