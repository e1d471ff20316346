import { ECDH } from 'node:crypto';

/**
 * What is wrong with a push subscription's keys, or null when a message can be encrypted for
 * them: a browser hands over a P-256 point (65 bytes, uncompressed) and an auth secret of at
 * least 16 bytes (RFC 8291).
 */
export function pushKeysProblem(keys: { p256dh: string; auth: string }): string | null {
  if (!isUncompressedP256Point(Buffer.from(keys.p256dh, 'base64url'))) return 'keys.p256dh: not an uncompressed P-256 public key';
  if (Buffer.from(keys.auth, 'base64url').length < 16) return 'keys.auth: shorter than 16 bytes';
  return null;
}

function isUncompressedP256Point(bytes: Buffer): boolean {
  if (bytes.length !== 65) return false;
  try {
    ECDH.convertKey(bytes, 'prime256v1');
    return true;
  } catch {
    return false;
  }
}
