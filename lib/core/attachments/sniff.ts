import type { FileHandle } from 'node:fs/promises';
import { ATTACHMENT_LIMITS, type AttachmentKind, type AttachmentMediaType } from '../../protocol/index.ts';
import { VibesError } from '../errors.ts';

// What a file is, from its bytes alone: the name and the Content-Type a client sends are never
// trusted. Images are measured from their headers, never decoded.

export interface Sniffed {
  kind: AttachmentKind;
  media_type: AttachmentMediaType;
}

/** Enough of a file's start to tell every accepted type apart. */
export const SNIFF_BYTES = 16;

/** The type the first bytes announce; `text` is only a candidate, confirmed by TextCheck over the whole file. */
export function sniff(head: Uint8Array): Sniffed {
  const starts = (bytes: number[], at = 0) => bytes.every((byte, index) => head[at + index] === byte);
  const ascii = (text: string, at = 0) =>
    starts(
      [...text].map((char) => char.charCodeAt(0)),
      at,
    );
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'image', media_type: 'image/png' };
  if (starts([0xff, 0xd8, 0xff])) return { kind: 'image', media_type: 'image/jpeg' };
  if (ascii('GIF87a') || ascii('GIF89a')) return { kind: 'image', media_type: 'image/gif' };
  if (ascii('RIFF') && ascii('WEBP', 8)) return { kind: 'image', media_type: 'image/webp' };
  if (ascii('%PDF-')) return { kind: 'pdf', media_type: 'application/pdf' };
  return { kind: 'text', media_type: 'text/plain' };
}

/** The most bytes an attachment of this kind may have. */
export function capOf(kind: AttachmentKind): number {
  return kind === 'image' ? ATTACHMENT_LIMITS.imageBytes : kind === 'pdf' ? ATTACHMENT_LIMITS.pdfBytes : ATTACHMENT_LIMITS.textBytes;
}

/**
 * Whether a stream of bytes is text Claude can read: UTF-8, without NUL or other control bytes
 * (tab, line breaks, form feed and escape aside). An executable, an archive or an unknown
 * image format fails here, whatever it is named.
 */
export class TextCheck {
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  #ok = true;

  push(chunk: Uint8Array): void {
    if (!this.#ok) return;
    for (const byte of chunk) {
      if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d && byte !== 0x1b) || byte === 0x7f) {
        this.#ok = false;
        return;
      }
    }
    try {
      this.#decoder.decode(chunk, { stream: true });
    } catch {
      this.#ok = false;
    }
  }

  get ok(): boolean {
    if (!this.#ok) return false;
    try {
      this.#decoder.decode();
      return true;
    } catch {
      return false;
    }
  }
}

export function unsupported(): VibesError {
  return new VibesError(
    'UNSUPPORTED_MEDIA_TYPE',
    'Only PNG, JPEG, GIF and WebP images, PDFs and UTF-8 text files can be attached (the type is read from the bytes, not the name)',
  );
}

/** An image's size from its header; refuses what cannot be read and what Claude would not take. */
export async function imageSize(file: FileHandle, mediaType: AttachmentMediaType): Promise<{ width: number; height: number }> {
  const size = await readSize(file, mediaType);
  if (!size || size.width < 1 || size.height < 1) {
    throw new VibesError('UNSUPPORTED_MEDIA_TYPE', `This ${mediaType} image has no readable size in its header`);
  }
  const { width, height } = size;
  if (width > ATTACHMENT_LIMITS.imageSide || height > ATTACHMENT_LIMITS.imageSide || width * height > ATTACHMENT_LIMITS.imagePixels) {
    throw new VibesError(
      'IMAGE_TOO_LARGE',
      `The image is ${width}×${height} px: at most ${ATTACHMENT_LIMITS.imageSide} px a side and ${ATTACHMENT_LIMITS.imagePixels / 1e6} megapixels`,
    );
  }
  return size;
}

async function readSize(file: FileHandle, mediaType: AttachmentMediaType): Promise<{ width: number; height: number } | null> {
  const head = await bytesAt(file, 0, 32);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (mediaType === 'image/png') {
    if (head.length < 24 || String.fromCharCode(...head.subarray(12, 16)) !== 'IHDR') return null;
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (mediaType === 'image/gif') {
    return head.length < 10 ? null : { width: view.getUint16(6, true), height: view.getUint16(8, true) };
  }
  if (mediaType === 'image/webp') return head.length < 30 ? null : webpSize(head, view);
  if (mediaType === 'image/jpeg') return jpegSize(file);
  return null;
}

function webpSize(head: Uint8Array, view: DataView): { width: number; height: number } | null {
  const chunk = String.fromCharCode(...head.subarray(12, 16));
  if (chunk === 'VP8 ') return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  if (chunk === 'VP8L') {
    if (head[20] !== 0x2f) return null;
    const [b0, b1, b2, b3] = [head[21]!, head[22]!, head[23]!, head[24]!];
    return { width: 1 + (((b1 & 0x3f) << 8) | b0), height: 1 + (((b3 & 0x0f) << 10) | (b2 << 2) | ((b1 & 0xc0) >> 6)) };
  }
  if (chunk === 'VP8X') {
    const u24 = (at: number) => head[at]! | (head[at + 1]! << 8) | (head[at + 2]! << 16);
    return { width: 1 + u24(24), height: 1 + u24(27) };
  }
  return null;
}

/** Walks the JPEG's segments to its frame header (SOFn), skipping EXIF and the rest by their lengths. */
async function jpegSize(file: FileHandle): Promise<{ width: number; height: number } | null> {
  let at = 2;
  for (let segments = 0; segments < 1000; segments++) {
    const marker = await bytesAt(file, at, 9);
    if (marker.length < 4 || marker[0] !== 0xff) return null;
    const code = marker[1]!;
    if (code === 0xff) {
      at += 1;
      continue;
    }
    const isFrame = code >= 0xc0 && code <= 0xcf && code !== 0xc4 && code !== 0xc8 && code !== 0xcc;
    if (isFrame) {
      if (marker.length < 9) return null;
      return { height: (marker[5]! << 8) | marker[6]!, width: (marker[7]! << 8) | marker[8]! };
    }
    if (code === 0xda || code === 0xd9) return null;
    if (code === 0x01 || (code >= 0xd0 && code <= 0xd7)) {
      at += 2;
      continue;
    }
    at += 2 + ((marker[2]! << 8) | marker[3]!);
  }
  return null;
}

async function bytesAt(file: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}
