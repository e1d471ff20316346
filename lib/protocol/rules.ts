// Small rules every room applies the same way, each written once. Kept apart from the zod schemas
// so the dashboard can use them without pulling zod in.
import type { SessionInfo, SessionState } from './session.ts';

/** A turn is running (input now would be queued, interrupt would stop something). */
export function isTurnRunning(state: SessionState): boolean {
  return state === 'processing' || state === 'waiting_permission';
}

/** The client id under which Claude itself acts, e.g. when it withdraws a permission request. */
export const CLAUDE_CLIENT_ID = 'claude';

/** Where a server listens unless told otherwise: this machine only. */
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7432;

/** The names of this machine that a browser or the CLI may use for a loopback server. */
export const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'] as const;

/** Whether a host name or address (brackets allowed: `[::1]`) stays on this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

/** Sizes the server accepts (its request schemas) and clients respect before sending. */
export const LIMITS = {
  inputChars: 100_000,
  nameChars: 200,
  pathChars: 4096,
  modelChars: 200,
  messageChars: 10_000,
  /** Answers to one AskUserQuestion (Claude asks 1 to 4 questions). */
  answers: 20,
  suggestions: 20,
  eventsPageMax: 1000,
  historyPageMax: 200,
  searchChars: 200,
} as const;

/** Bounds on browsing a session's folder (lib/protocol/files.ts). */
export const FILE_LIMITS = {
  /** A listing stops at this many entries (`truncated`). */
  listEntries: 5000,
  /** A file's content is served up to this many bytes (`truncated`). */
  readBytes: 1024 * 1024,
  searchQueryChars: 200,
  searchMatchesMax: 500,
  /** A search stops after visiting this many entries, or after searchMs (`truncated`). */
  searchEntries: 100_000,
  searchMs: 3000,
} as const;

/**
 * Files and images in a prompt (lib/protocol/attachments.ts), within the Messages API's limits:
 * an image at most 5 MB once base64-encoded and 8000 px a side; a request at most 32 MB.
 */
export const ATTACHMENT_LIMITS = {
  /** Per message. */
  count: 20,
  /** 5 MB of base64, the API's cap on one image. */
  imageBytes: 3_750_000,
  pdfBytes: 20 * 1024 * 1024,
  textBytes: 512 * 1024,
  /** All of a message's attachments together: their base64 stays under the API's 32 MB request. */
  totalBytes: 22 * 1024 * 1024,
  /** The API refuses images past this on either side. */
  imageSide: 8000,
  /** A decompression bomb is refused from its header: a small file that would decode to a vast bitmap. */
  imagePixels: 40_000_000,
  /** What the API scales an image down to anyway: the dashboard scales photos to this on the device. */
  imageLongEdge: 1568,
  nameChars: 255,
} as const;

/** The image types Claude reads; anything else is refused before it is stored. */
export const IMAGE_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/** Pinned sessions first, then the newest: the order every client lists live sessions in. */
export function compareListed(
  a: Pick<SessionInfo, 'pinned' | 'created_at' | 'id'>,
  b: Pick<SessionInfo, 'pinned' | 'created_at' | 'id'>,
): number {
  return Number(b.pinned) - Number(a.pinned) || b.created_at - a.created_at || a.id.localeCompare(b.id);
}
