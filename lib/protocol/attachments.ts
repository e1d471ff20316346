import { z } from 'zod';
import { ATTACHMENT_LIMITS, IMAGE_MEDIA_TYPES } from './rules.ts';

// Files and images in a prompt. A client uploads each file's bytes first (raw body; the server
// sniffs the type from the bytes, never from the name or the Content-Type) and gets an id, then
// names the ids in `POST .../input`. The transcript's user_input carries what was attached; the
// bytes are fetched by URL (getAttachment), never pushed through the event stream.

export const AttachmentKind = z.enum(['image', 'pdf', 'text']);
export type AttachmentKind = z.infer<typeof AttachmentKind>;

export const AttachmentMediaType = z.enum([...IMAGE_MEDIA_TYPES, 'application/pdf', 'text/plain']);
export type AttachmentMediaType = z.infer<typeof AttachmentMediaType>;

/** The sha256 of the bytes, in hex: the same file uploaded twice is stored once. */
export const AttachmentId = z.string().regex(/^[0-9a-f]{64}$/, 'an attachment id is 64 hex digits');

export const Attachment = z.object({
  id: AttachmentId,
  kind: AttachmentKind,
  media_type: AttachmentMediaType,
  /** The file's name as the client gave it (display only). */
  name: z.string(),
  size: z.number().int().nonnegative(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
});
export type Attachment = z.infer<typeof Attachment>;

export const AttachmentUploadQuery = z.object({
  name: z.string().max(ATTACHMENT_LIMITS.nameChars).default('attachment'),
});
export type AttachmentUploadQuery = z.infer<typeof AttachmentUploadQuery>;

export const AttachmentResponse = z.object({ attachment: Attachment });
export type AttachmentResponse = z.infer<typeof AttachmentResponse>;

/** The raw bytes of an upload (the browser sends a Blob, Node a Uint8Array), or of an attachment served back. */
export const AttachmentBytes = z.custom<Blob | Uint8Array>(
  (value) => value instanceof Uint8Array || (typeof Blob !== 'undefined' && value instanceof Blob),
  'raw bytes',
);
