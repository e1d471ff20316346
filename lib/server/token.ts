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
 * Why a secret given in the environment (VIBES_TOKEN by default) is too weak, or null when it is
 * fine: at least 32 characters, at least 10 different ones, none making up more than a quarter
 * of it, not a short block repeated, and not mostly runs (`0123…`, `abcd…`, `9876…`).
 * Never includes the secret in the answer.
 */
export function tokenProblem(token: string, name = 'VIBES_TOKEN'): string | null {
  const advice = 'make one with `openssl rand -base64 32`';
  if (token.length < 32) return `${name} must be at least 32 characters (it has ${token.length}); ${advice}`;
  const counts = new Map<string, number>();
  for (const character of token) counts.set(character, (counts.get(character) ?? 0) + 1);
  if (counts.size < 10 || Math.max(...counts.values()) > token.length / 4) {
    return `${name} is too regular (too few different characters, or one repeated too often); ${advice}`;
  }
  if (repeatsABlock(token) || runSteps(token) > (token.length - 1) / 3) {
    return `${name} is too regular (a sequence such as 0123… or abcd…, or a block repeated); ${advice}`;
  }
  return null;
}

/** True when the text is a shorter block over and over (`k3J9…k3J9…`). */
function repeatsABlock(text: string): boolean {
  for (let period = 1; period <= text.length / 2; period++) {
    let repeats = true;
    for (let i = period; i < text.length && repeats; i++) repeats = text[i] === text[i - period];
    if (repeats) return true;
  }
  return false;
}

/** How many neighbours step by one up or down (`ab`, `98`): random text has few (2 in 16 for hex). */
function runSteps(text: string): number {
  let steps = 0;
  for (let i = 1; i < text.length; i++) if (Math.abs(text.charCodeAt(i) - text.charCodeAt(i - 1)) === 1) steps++;
  return steps;
}
