import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TOKEN_BYTES = 32;

export const tokenPath = (home: string): string => join(home, 'token');

export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Makes the state folder private to its user, creating it when needed. */
export function ensurePrivateHome(home: string): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  chmodSync(home, 0o700);
}

/**
 * The token every request must carry: VIBES_TOKEN when set, else the one in `$VIBES_HOME/token`,
 * created on first start (the folder 0700, the file 0600).
 */
export function loadOrCreateToken(home: string, envToken: string | undefined): { token: string; fromEnv: boolean } {
  if (envToken) return { token: envToken, fromEnv: true };
  ensurePrivateHome(home);
  const path = tokenPath(home);
  if (existsSync(path)) {
    chmodSync(path, 0o600);
    const token = readFileSync(path, 'utf8').trim();
    if (token.length >= 32) return { token, fromEnv: false };
  }
  return { token: writeToken(home, newToken()), fromEnv: false };
}

/** Replaces the token file atomically, so a reader never sees half a token. */
export function writeToken(home: string, token: string): string {
  ensurePrivateHome(home);
  const path = tokenPath(home);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${token}\n`, { mode: 0o600 });
  renameSync(temporary, path);
  return token;
}
