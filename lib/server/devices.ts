import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { DeviceRecord, DeviceStore } from '../core/devices.ts';
import { VibesError } from '../core/errors.ts';
import { MAX_DEVICE_LABEL, type DeviceInfo, type PushSubscriptionInfo } from '../protocol/index.ts';

/** The name every server used before names were per origin: still read for a transition, never set. */
export const LEGACY_DEVICE_COOKIE = 'vibes_device';
/** How often a device's last-seen time is written at most: a request is not a database write. */
const TOUCH_EVERY_S = 60;
/** Chrome keeps a cookie 400 days at most; the server's idle limit is what really ends a device. */
const COOKIE_MAX_AGE_S = 400 * 86_400;

export interface DeviceSessionsOptions {
  store: DeviceStore;
  /** A device unused this long is signed out. */
  idleSeconds: number;
  /** Milliseconds since the epoch. */
  clock?: () => number;
}

/**
 * Signed-in browsers: each holds a random secret in an HttpOnly cookie; the server keeps only
 * its SHA-256. Revoking one (or all, when the token rotates) tells the listeners at once, so
 * the event streams it holds close.
 */
export class DeviceSessions {
  readonly #store: DeviceStore;
  readonly #idleSeconds: number;
  readonly #clock: () => number;
  readonly #revokedListeners = new Set<(deviceId: string | null) => void>();
  readonly #cookieId: string;

  /** `cookieId`: the store's (`DeviceStore.deviceCookieId`); `open` reads it. */
  constructor(options: DeviceSessionsOptions, cookieId: string) {
    this.#store = options.store;
    this.#cookieId = cookieId;
    this.#idleSeconds = options.idleSeconds;
    this.#clock = options.clock ?? Date.now;
  }

  static async open(options: DeviceSessionsOptions): Promise<DeviceSessions> {
    return new DeviceSessions(options, await options.store.deviceCookieId());
  }

  /**
   * A new device session; the secret goes into the cookie and nowhere else. `pairedBy` is the
   * device whose code was used: null (nothing made) when it was revoked since.
   */
  async signIn(label: string, address: string, pairedBy: string | null = null): Promise<{ device: DeviceRecord; secret: string } | null> {
    const secret = randomBytes(32).toString('base64url');
    const now = this.#now();
    const taken = (await this.#store.listDevices()).map((other) => other.label);
    const device: DeviceRecord = {
      // Hex, not base64url: an id is typed as a CLI argument, and one starting with '-' reads as a flag.
      id: randomBytes(9).toString('hex'),
      secretHash: hashSecret(secret),
      label: distinctLabel(label, taken),
      createdAt: now,
      lastSeenAt: now,
      address,
      pairedBy,
    };
    return (await this.#store.insertDevice(device)) ? { device, secret } : null;
  }

  /**
   * Cookies ignore ports: a name of this installation's own (its database's) keeps two servers
   * on one host from sharing one cookie, while the nodes of a cluster share theirs. Over HTTPS
   * the `__Host-` prefix lets no plain-HTTP page, no other path and no other domain set it.
   */
  cookieName(secure: boolean): string {
    return `${secure ? '__Host-' : ''}vibes_device_${this.#cookieId}`;
  }

  /** The device this cookie secret belongs to, unless it was revoked or unused for too long. */
  async authenticate(secret: string, address: string): Promise<DeviceRecord | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) return null;
    const device = await this.#store.findDeviceBySecretHash(hashSecret(secret));
    if (!device) return null;
    const now = this.#now();
    if (now - device.lastSeenAt > this.#idleSeconds) {
      await this.revoke(device.id);
      return null;
    }
    if (now - device.lastSeenAt >= TOUCH_EVERY_S || device.address !== address) {
      await this.#store.touchDevice(device.id, now, address);
      Object.assign(device, { lastSeenAt: now, address });
    }
    return device;
  }

  async list(currentId: string | null): Promise<DeviceInfo[]> {
    const devices = await this.#store.listDevices();
    return Promise.all(
      devices.map(async (device) => ({
        id: device.id,
        label: device.label,
        created_at: device.createdAt,
        last_seen_at: device.lastSeenAt,
        address: device.address,
        current: device.id === currentId,
        notifications: await this.pushInfo(device.id),
        tell_claude_on_phone: device.tellClaudeOnPhone ?? false,
      })),
    );
  }

  /** A signed-in device by its id; null once revoked. */
  async find(deviceId: string): Promise<DeviceRecord | null> {
    return (await this.#store.listDevices()).find((device) => device.id === deviceId) ?? null;
  }

  /** The device as listed after the change. */
  async setTellClaudeOnPhone(deviceId: string, on: boolean): Promise<DeviceInfo> {
    const device = (await this.#store.setTellClaudeOnPhone(deviceId, on))
      ? (await this.list(deviceId)).find((listed) => listed.current)
      : undefined;
    if (!device) throw new VibesError('NOT_FOUND', 'This browser is no longer signed in');
    return device;
  }

  /** Push subscriptions live beside the devices they belong to, and go with them. */
  get store(): DeviceStore {
    return this.#store;
  }

  async pushInfo(deviceId: string): Promise<PushSubscriptionInfo | null> {
    const subscription = await this.#store.pushSubscription(deviceId);
    return subscription ? { kinds: subscription.kinds, created_at: subscription.createdAt, last_used_at: subscription.lastUsedAt } : null;
  }

  /** The device and, transitively, the devices it paired: a stolen cookie's offspring go with it. */
  async revoke(deviceId: string): Promise<boolean> {
    const revoked = await this.#store.deleteDevice(deviceId);
    for (const id of revoked) for (const listener of this.#revokedListeners) listener(id);
    return revoked.length > 0;
  }

  /** Every device at once (the token was rotated). */
  async revokeAll(): Promise<number> {
    const count = await this.#store.deleteAllDevices();
    for (const listener of this.#revokedListeners) listener(null);
    return count;
  }

  /**
   * Signs out the devices past the idle limit the way revoke does, so their event streams close;
   * run at start and now and then. A device with an event stream open (`inUse`) is being watched
   * from: that counts as use, so a phone left open on the dashboard is never signed out under it.
   */
  async sweep(inUse: Iterable<string> = []): Promise<number> {
    const now = this.#now();
    const watching = new Set(inUse);
    let count = 0;
    for (const device of await this.#store.listDevices()) {
      if (watching.has(device.id)) await this.#store.touchDevice(device.id, now, device.address);
      else if (now - device.lastSeenAt > this.#idleSeconds && (await this.revoke(device.id))) count++;
    }
    return count;
  }

  /** `null` means every device. */
  onRevoked(listener: (deviceId: string | null) => void): () => void {
    this.#revokedListeners.add(listener);
    return () => this.#revokedListeners.delete(listener);
  }

  #now(): number {
    return Math.floor(this.#clock() / 1000);
  }
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A null secret clears the cookie. `Secure` once the browser reached vibes over HTTPS, or the cookie would never come back. */
export function deviceCookie(name: string, secret: string | null, secure: boolean): string {
  const maxAge = secret === null ? 0 : COOKIE_MAX_AGE_S;
  return `${name}=${secret ?? ''}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

// Crockford's base32: no I, L, O or U, so a code read off a screen is typed right.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 8;
const MAX_OPEN_CODES = 20;

export interface PairingCodesOptions {
  ttlSeconds: number;
  clock?: () => number;
}

interface OpenCode {
  /** Milliseconds since the epoch. */
  expiresAt: number;
  key: string;
  /** The signed-in device that asked for it; null for the token holder. */
  issuedBy: string | null;
}

/** What an accepted code tells the sign-in. */
export interface UsedCode {
  issuedBy: string | null;
}

/**
 * One-time codes that sign a browser in: short-lived, used once, kept only in memory (a
 * restart forgets them). The typed code has 40 random bits, against attempts throttled to a
 * few a minute; its link also carries a 128-bit key, which nobody can guess, so a sign-in
 * with the key needs no throttle and a crowd of wrong guesses cannot lock the owner out.
 */
export class PairingCodes {
  readonly #ttlMs: number;
  readonly #clock: () => number;
  /** Code (normalised, without the dash) to what it was issued with. */
  readonly #open = new Map<string, OpenCode>();

  constructor(options: PairingCodesOptions) {
    this.#ttlMs = options.ttlSeconds * 1000;
    this.#clock = options.clock ?? Date.now;
  }

  issue(issuedBy: string | null = null): { code: string; key: string; expiresAt: number } {
    this.#forgetExpired();
    while (this.#open.size >= MAX_OPEN_CODES) this.#open.delete(this.#open.keys().next().value as string);
    let code = '';
    for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    const key = randomBytes(16).toString('base64url');
    const expiresAt = this.#clock() + this.#ttlMs;
    this.#open.set(code, { expiresAt, key, issuedBy });
    return { code: `${code.slice(0, 4)}-${code.slice(4)}`, key, expiresAt: Math.floor(expiresAt / 1000) };
  }

  /** Once per issued code, within its lifetime; takes it either way. */
  consume(normalisedCode: string): UsedCode | null {
    this.#forgetExpired();
    const open = this.#open.get(normalisedCode);
    this.#open.delete(normalisedCode);
    return open ? { issuedBy: open.issuedBy } : null;
  }

  /**
   * The code of a sign-in link: judged by its key alone, so a wrong guess learns nothing of the
   * code; the code beside it must be that key's (a form whose code was edited is refused).
   */
  consumeWithKey(normalisedCode: string, key: string): UsedCode | null {
    this.#forgetExpired();
    for (const [code, open] of this.#open) {
      if (!sameText(open.key, key)) continue;
      if (code !== normalisedCode) return null;
      this.#open.delete(code);
      return { issuedBy: open.issuedBy };
    }
    return null;
  }

  /** Codes asked for by devices that were since revoked die with them. */
  forgetIssuedBy(deviceIds: ReadonlySet<string>): void {
    for (const [code, open] of this.#open) if (open.issuedBy !== null && deviceIds.has(open.issuedBy)) this.#open.delete(code);
  }

  /** After a token rotation no code made before it may sign anybody in. */
  clear(): void {
    this.#open.clear();
  }

  #forgetExpired(): void {
    const now = this.#clock();
    for (const [code, open] of this.#open) if (open.expiresAt <= now) this.#open.delete(code);
  }
}

function sameText(expected: string, candidate: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(candidate);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Two devices never share a label: "Chrome on Android", then "Chrome on Android (2)". Labels
 * that differ only in case or compatibility forms (full-width letters) count as the same.
 */
export function distinctLabel(label: string, taken: readonly string[]): string {
  const same = (text: string) => text.normalize('NFKC').toLowerCase();
  const used = new Set(taken.map(same));
  if (!used.has(same(label))) return label;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    let base = '';
    for (const character of label) if (base.length + character.length + suffix.length <= MAX_DEVICE_LABEL) base += character;
    const candidate = `${base.trimEnd()}${suffix}`;
    if (!used.has(same(candidate))) return candidate;
  }
}

// First match wins: Edge's agent also names Chrome and Safari, Chrome's names Safari.
const BROWSERS: readonly [RegExp, string][] = [
  [/Edg\//, 'Edge'],
  [/Firefox\//, 'Firefox'],
  [/Chrome\/|CriOS\//, 'Chrome'],
  [/Safari\//, 'Safari'],
  [/curl\//, 'curl'],
];
const SYSTEMS: readonly [RegExp, string][] = [
  [/Android/, 'Android'],
  [/iPhone/, 'iPhone'],
  [/iPad/, 'iPad'],
  [/CrOS/, 'ChromeOS'],
  [/Mac OS X|Macintosh/, 'Mac'],
  [/Windows/, 'Windows'],
  [/Linux/, 'Linux'],
];

/** "Chrome on Android": enough to tell one's own devices apart in the list. */
export function labelFromUserAgent(userAgent: string | undefined): string {
  const agent = userAgent ?? '';
  const browser = BROWSERS.find(([pattern]) => pattern.test(agent))?.[1] ?? 'Browser';
  const system = SYSTEMS.find(([pattern]) => pattern.test(agent))?.[1];
  return system ? `${browser} on ${system}` : browser;
}
