import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DeviceRecord } from '../core/devices.ts';
import { VibesError } from '../core/errors.ts';
import { LEGACY_DEVICE_COOKIE, type DeviceSessions } from './devices.ts';
import { requestView } from './forwarded.ts';
import { newToken, writeToken } from './token.ts';

/**
 * Who is asking: the token holder (CLI, scripts) or one signed-in browser, with what its input
 * tells Claude (read with the device, so a prompt costs no second look-up).
 */
export type Principal = { kind: 'token' } | { kind: 'device'; deviceId: string; label: string; onPhone: boolean };

/** Marks a request one node sent another: it is answered where it lands, never sent on. */
export const FORWARDED_HEADER = 'x-vibes-forwarded-by';
/**
 * The device whose request a node passes on with the cluster's token: the node that forwards
 * has signed it in, so the node that answers acts for that device (who answered, its settings).
 */
export const ON_BEHALF_OF_HEADER = 'x-vibes-on-behalf-of';

export interface Credentials {
  token: string;
  /** A token from VIBES_TOKEN cannot be rotated by the server. */
  fromEnv: boolean;
}

export interface AuthOptions extends Credentials {
  home: string;
  devices: DeviceSessions;
  /** In a cluster: where a rotation puts the new token, so that every node takes it. */
  saveShared?: (token: string) => Promise<void>;
}

/**
 * Who may talk to the server: a bearer token (CLI, scripts) or a device session cookie (a
 * browser signed in with a pairing code). Rotating the token signs every device out too.
 */
export class Auth {
  readonly devices: DeviceSessions;
  readonly #home: string;
  readonly #fromEnv: boolean;
  readonly #saveShared: ((token: string) => Promise<void>) | undefined;
  readonly #rotatedListeners = new Set<() => void>();
  #token: Buffer;

  constructor(options: AuthOptions) {
    this.#home = options.home;
    this.#fromEnv = options.fromEnv;
    this.#saveShared = options.saveShared;
    this.#token = Buffer.from(options.token);
    this.devices = options.devices;
  }

  /** What this node shows another when it passes a request on. */
  get token(): string {
    return this.#token.toString();
  }

  isValidToken(candidate: string): boolean {
    return constantTimeEqual(this.#token, Buffer.from(candidate));
  }

  /** Bearer header or device cookie; never the query string. */
  async authenticate(req: IncomingMessage): Promise<Principal | null> {
    const header = req.headers.authorization;
    if (header !== undefined && header !== '') {
      if (!header.startsWith('Bearer ') || !this.isValidToken(header.slice('Bearer '.length).trim())) return null;
      const onBehalfOf = req.headers[ON_BEHALF_OF_HEADER];
      if (typeof onBehalfOf !== 'string' || req.headers[FORWARDED_HEADER] === undefined) return { kind: 'token' };
      // Revoked since the other node signed it in: refused here too.
      const device = await this.devices.find(onBehalfOf);
      return device ? devicePrincipal(device) : null;
    }
    const view = requestView(req);
    // Another page of this host can add cookies of the same name (another Path, say) that the
    // browser sends first: each candidate is tried, so such a shadow cannot lock the user out.
    const names = [this.devices.cookieName(view.secure), LEGACY_DEVICE_COOKIE];
    for (const secret of readCookies(req.headers.cookie, names, MAX_COOKIE_CANDIDATES)) {
      const device = await this.devices.authenticate(secret, view.address);
      if (device) return devicePrincipal(device);
    }
    return null;
  }

  /** A new token; the old one, every signed-in device and their event streams end at once. */
  async rotate(): Promise<string> {
    if (this.#fromEnv) {
      throw new VibesError('INVALID_STATE', 'The token comes from VIBES_TOKEN; change that variable and restart instead');
    }
    const token = newToken();
    // Shared first: if the database refuses, nothing has changed anywhere.
    await this.#saveShared?.(token);
    writeToken(this.#home, token);
    this.#token = Buffer.from(token);
    await this.devices.revokeAll();
    for (const listener of this.#rotatedListeners) listener();
    return token;
  }

  /**
   * Another node of the cluster rotated the token (and signed every device out there): the old
   * one stops working here too, and this node's streams end. False when `token` is already ours.
   */
  adopt(token: string): boolean {
    if (this.isValidToken(token)) return false;
    // The local CLI reads the token file; a VIBES_TOKEN cannot be rewritten from here.
    if (!this.#fromEnv) writeToken(this.#home, token);
    this.#token = Buffer.from(token);
    for (const listener of this.#rotatedListeners) listener();
    return true;
  }

  onRotated(listener: () => void): () => void {
    this.#rotatedListeners.add(listener);
    return () => this.#rotatedListeners.delete(listener);
  }
}

function devicePrincipal(device: DeviceRecord): Principal {
  return { kind: 'device', deviceId: device.id, label: device.label, onPhone: device.tellClaudeOnPhone === true };
}

function constantTimeEqual(expected: Buffer, candidate: Buffer): boolean {
  // Compare against a same-length buffer either way so the timing says nothing about the length.
  const padded = Buffer.alloc(expected.length);
  candidate.copy(padded, 0, 0, expected.length);
  return timingSafeEqual(expected, padded) && candidate.length === expected.length;
}

/**
 * How many device cookie values one request may have tried (each is a hash and a lookup). The
 * real cookie (Path=/) is sent after every shadow with a longer Path, and read first: only a
 * later cookie of Path=/ (a Domain variant) can come before it.
 */
const MAX_COOKIE_CANDIDATES = 4;

/**
 * The distinct values of cookies with these names, the first name's first, at most `limit`.
 * Within a name the last comes first: the browser sends the longest Path first and the real
 * cookie has Path=/, so shadows added by paths cannot push it out of the limit.
 */
export function readCookies(header: string | undefined, names: readonly string[], limit: number): string[] {
  if (!header) return [];
  const byName = new Map<string, string[]>(names.map((name) => [name, []]));
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    const values = separator > 0 ? byName.get(part.slice(0, separator).trim()) : undefined;
    const value = values && part.slice(separator + 1).trim();
    if (value) values.push(value);
  }
  const found = new Set<string>();
  for (const values of byName.values()) for (const value of values.reverse()) if (found.size < limit) found.add(value);
  return [...found];
}

/** A stable key per principal, for rate limits and for finding its event streams. */
export function principalKey(principal: Principal): string {
  return principal.kind === 'token' ? 'token' : deviceKey(principal.deviceId);
}

export function deviceKey(deviceId: string): string {
  return `device:${deviceId}`;
}

/** The device a principal key names, or null for the token's. */
export function deviceIdOfKey(key: string): string | null {
  return key.startsWith('device:') ? key.slice('device:'.length) : null;
}
