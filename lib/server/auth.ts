import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { VibesError } from '../core/errors.ts';
import { newToken, writeToken } from './token.ts';

export const AUTH_COOKIE = 'vibes_auth';

export interface AuthOptions {
  home: string;
  token: string;
  /** A token from VIBES_TOKEN cannot be rotated by the server. */
  fromEnv: boolean;
}

/**
 * Who may talk to the server: a bearer token (CLI, scripts) or a cookie derived from it
 * (browser). Rotating the token invalidates both at once.
 */
export class Auth {
  readonly #home: string;
  readonly #fromEnv: boolean;
  #token: Buffer;
  #cookie: Buffer;

  constructor(options: AuthOptions) {
    this.#home = options.home;
    this.#fromEnv = options.fromEnv;
    this.#token = Buffer.from(options.token);
    this.#cookie = deriveCookie(options.token);
  }

  /** Only for the start-up banner and the pairing link. */
  get token(): string {
    return this.#token.toString();
  }

  /** The Set-Cookie value that signs a browser in. */
  get cookieValue(): string {
    return this.#cookie.toString();
  }

  isValidToken(candidate: string): boolean {
    return constantTimeEqual(this.#token, Buffer.from(candidate));
  }

  /** Bearer header or cookie; never the query string. */
  isAuthenticated(req: IncomingMessage): boolean {
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) return this.isValidToken(header.slice('Bearer '.length).trim());
    const cookie = readCookie(req.headers.cookie, AUTH_COOKIE);
    return cookie !== undefined && constantTimeEqual(this.#cookie, Buffer.from(cookie));
  }

  rotate(): string {
    if (this.#fromEnv) {
      throw new VibesError('INVALID_STATE', 'The token comes from VIBES_TOKEN; change that variable and restart instead');
    }
    const token = writeToken(this.#home, newToken());
    this.#token = Buffer.from(token);
    this.#cookie = deriveCookie(token);
    return token;
  }
}

function deriveCookie(token: string): Buffer {
  return Buffer.from(createHmac('sha256', token).update('vibes browser cookie v1').digest('base64url'));
}

function constantTimeEqual(expected: Buffer, candidate: Buffer): boolean {
  // Compare against a same-length buffer either way so the timing says nothing about the length.
  const padded = Buffer.alloc(expected.length);
  candidate.copy(padded, 0, 0, expected.length);
  return timingSafeEqual(expected, padded) && candidate.length === expected.length;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}
