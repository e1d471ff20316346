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

/**
 * Why a token given in VIBES_TOKEN is too weak, or null when it is fine: at least 32
 * characters, at least 10 different ones, and none making up more than a quarter of it.
 * Never includes the token in the answer.
 */
export function tokenProblem(token: string): string | null {
  const advice = 'make one with `openssl rand -base64 32`';
  if (token.length < 32) return `VIBES_TOKEN must be at least 32 characters (it has ${token.length}); ${advice}`;
  const counts = new Map<string, number>();
  for (const character of token) counts.set(character, (counts.get(character) ?? 0) + 1);
  if (counts.size < 10 || Math.max(...counts.values()) > token.length / 4) {
    return `VIBES_TOKEN is too regular (too few different characters, or one repeated too often); ${advice}`;
  }
  return null;
}
