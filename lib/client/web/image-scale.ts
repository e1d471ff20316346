import { ATTACHMENT_LIMITS, IMAGE_MEDIA_TYPES } from '../../protocol/rules.ts';

/** JPEG at this quality keeps a photo readable for Claude at a fraction of its bytes. */
const JPEG_QUALITY = 0.85;

/**
 * A photo as Claude will see it: scaled on the device to ATTACHMENT_LIMITS.imageLongEdge on its
 * long edge (what the Messages API would scale it to anyway), so a 12-megapixel camera photo
 * leaves the phone as a few hundred KB. Images already small enough go as they are; what the
 * browser cannot decode goes as it is too, and the server says what it thinks of it.
 */
export async function scaleForClaude(file: Blob): Promise<Blob> {
  if (!file.type.startsWith('image/')) return file;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return file;
  }
  try {
    const longEdge = Math.max(bitmap.width, bitmap.height);
    const accepted = (IMAGE_MEDIA_TYPES as readonly string[]).includes(file.type);
    if (accepted && longEdge <= ATTACHMENT_LIMITS.imageLongEdge && file.size <= ATTACHMENT_LIMITS.imageBytes) return file;
    const scale = Math.min(1, ATTACHMENT_LIMITS.imageLongEdge / longEdge);
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) return file;
    // JPEG has no transparency: what was transparent turns white, not black.
    context.fillStyle = '#fff';
    context.fillRect(0, 0, width, height);
    context.drawImage(bitmap, 0, 0, width, height);
    return await canvas.convertToBlob({ type: 'image/jpeg', quality: JPEG_QUALITY });
  } finally {
    bitmap.close();
  }
}

/** The name a scaled photo goes by: its own, ending in .jpg when it became a JPEG. */
export function scaledName(name: string, original: Blob, scaled: Blob): string {
  if (scaled === original || scaled.type !== 'image/jpeg') return name;
  return `${name.replace(/\.[A-Za-z0-9]{1,5}$/, '')}.jpg`;
}
