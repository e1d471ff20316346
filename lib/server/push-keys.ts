import { ECDH } from 'node:crypto';

/**
 * What is wrong with a push subscription's keys, or null when a message can be encrypted for
 * them: a browser hands over a P-256 point (65 bytes, uncompressed) and an auth secret of at
 * least 16 bytes (RFC 8291).
 */
export function pushKeysProblem(keys: { p256dh: string; auth: string }): string | null {
  const publicKey = Buffer.from(keys.p256dh, 'base64url');
  let onCurve = publicKey.length === 65;
  try {
    if (onCurve) ECDH.convertKey(publicKey, 'prime256v1');
  } catch {
    onCurve = false;
  }
  if (!onCurve) return 'keys.p256dh: not an uncompressed P-256 public key';
  if (Buffer.from(keys.auth, 'base64url').length < 16) return 'keys.auth: shorter than 16 bytes';
  return null;
}
