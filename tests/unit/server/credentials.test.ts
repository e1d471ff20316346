import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryDeviceStore } from '../../../lib/core/devices.ts';
import { readCookies } from '../../../lib/server/auth.ts';
import { SqliteStore } from '../../../lib/core/sqlite-store.ts';
import { DeviceSessions, hashSecret, labelFromUserAgent, PairingCodes } from '../../../lib/server/devices.ts';
import { SignInThrottle } from '../../../lib/server/sign-in-throttle.ts';
import { tokenProblem } from '../../../lib/server/token.ts';
import { PairingCode } from '../../../lib/protocol/index.ts';
import { isVisibleText } from '../../../lib/protocol/text.ts';

const normalise = (code: string) => PairingCode.parse(code);

describe('PairingCodes', () => {
  it('a code works once', async () => {
    const codes = new PairingCodes({ ttlSeconds: 300 });
    const { code } = codes.issue();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(codes.consume(normalise(code))).toEqual({ issuedBy: null });
    expect(codes.consume(normalise(code))).toBeNull();
  });

  it('a link’s key signs in with its own code only, once; a wrong key takes nothing', async () => {
    const codes = new PairingCodes({ ttlSeconds: 300 });
    const { code, key } = codes.issue('phone');
    const other = codes.issue();
    expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(codes.consumeWithKey(normalise(code), 'A'.repeat(22))).toBeNull();
    expect(codes.consumeWithKey(normalise(other.code), key)).toBeNull();
    expect(codes.consumeWithKey(normalise(code), key)).toEqual({ issuedBy: 'phone' });
    expect(codes.consumeWithKey(normalise(code), key)).toBeNull();
    expect(codes.consume(normalise(other.code))).toEqual({ issuedBy: null });
  });

  it('codes a revoked device asked for are forgotten', async () => {
    const codes = new PairingCodes({ ttlSeconds: 300 });
    const stolen = codes.issue('stolen');
    const kept = codes.issue('kept');
    codes.forgetIssuedBy(new Set(['stolen']));
    expect(codes.consume(normalise(stolen.code))).toBeNull();
    expect(codes.consume(normalise(kept.code))).toEqual({ issuedBy: 'kept' });
  });

  it('a code is refused once its time is up', async () => {
    let now = 1_000_000;
    const codes = new PairingCodes({ ttlSeconds: 300, clock: () => now });
    const { code, expiresAt } = codes.issue();
    expect(expiresAt).toBe(1300);
    now += 300_000;
    expect(codes.consume(normalise(code))).toBeNull();
  });

  it('typing it in lower case or without the dash is the same code', async () => {
    const codes = new PairingCodes({ ttlSeconds: 300 });
    const { code } = codes.issue();
    expect(codes.consume(normalise(code.toLowerCase().replace('-', ' ')))).not.toBeNull();
  });

  it('clear() forgets every open code (a rotation)', async () => {
    const codes = new PairingCodes({ ttlSeconds: 300 });
    const { code } = codes.issue();
    codes.clear();
    expect(codes.consume(normalise(code))).toBeNull();
  });
});

describe.each([
  ['memory', () => new MemoryDeviceStore()],
  ['sqlite', () => new SqliteStore(':memory:').devices],
])('DeviceSessions over the %s store', (_name, makeStore) => {
  it('keeps only a hash of the secret, and knows the device by its secret', async () => {
    const store = makeStore();
    const devices = await DeviceSessions.open({ store, idleSeconds: 3600 });
    const { device, secret } = (await devices.signIn('phone', '10.0.0.2'))!;
    expect((await store.listDevices())[0]!.secretHash).toBe(hashSecret(secret));
    expect(JSON.stringify(await store.listDevices())).not.toContain(secret);
    expect((await devices.authenticate(secret, '10.0.0.2'))?.id).toBe(device.id);
    expect(await devices.authenticate(`${secret.slice(0, -1)}x`, '10.0.0.2')).toBeNull();
  });

  it('ids can be typed as a CLI argument: never a leading dash, whatever the random bytes', async () => {
    const devices = await DeviceSessions.open({ store: makeStore(), idleSeconds: 3600 });
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) ids.push((await devices.signIn('phone', '10.0.0.2'))!.device.id);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{18}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a device unused past the idle limit is signed out; use keeps it alive', async () => {
    let now = 1_000_000_000;
    const devices = await DeviceSessions.open({ store: makeStore(), idleSeconds: 3600, clock: () => now });
    const { secret } = (await devices.signIn('phone', '10.0.0.2'))!;
    now += 3000_000;
    expect(await devices.authenticate(secret, '10.0.0.3')).not.toBeNull();
    now += 3000_000;
    expect(await devices.authenticate(secret, '10.0.0.3')).not.toBeNull();
    now += 3601_000;
    expect(await devices.authenticate(secret, '10.0.0.3')).toBeNull();
    expect(await devices.list(null)).toEqual([]);
  });

  it('the idle sweep signs devices out the way revoking does, and a device watching through an open stream is in use', async () => {
    let now = 1_000_000_000;
    const devices = await DeviceSessions.open({ store: makeStore(), idleSeconds: 3600, clock: () => now });
    const heard: (string | null)[] = [];
    devices.onRevoked((id) => heard.push(id));
    const idle = (await devices.signIn('forgotten laptop', '10.0.0.2'))!;
    const watching = (await devices.signIn('phone on the dashboard', '10.0.0.3'))!;
    const fresh = (await devices.signIn('desktop', '127.0.0.1'))!;
    now += 3000_000;
    await devices.authenticate(fresh.secret, '127.0.0.1');
    now += 3000_000;
    expect(await devices.sweep([watching.device.id])).toBe(1);
    // The listeners close the swept device's streams, as for a revoke.
    expect(heard).toEqual([idle.device.id]);
    expect(await devices.authenticate(idle.secret, '10.0.0.2')).toBeNull();
    // The open stream counted as use: the phone is not signed out when its stream ends later.
    now += 3000_000;
    expect(await devices.sweep()).toBe(1);
    expect(heard).toEqual([idle.device.id, fresh.device.id]);
    expect((await devices.authenticate(watching.secret, '10.0.0.3'))?.id).toBe(watching.device.id);
  });

  it('revoking tells the listeners which device; rotating says every device', async () => {
    const devices = await DeviceSessions.open({ store: makeStore(), idleSeconds: 3600 });
    const heard: (string | null)[] = [];
    devices.onRevoked((id) => heard.push(id));
    const { device, secret } = (await devices.signIn('phone', '10.0.0.2'))!;
    await devices.signIn('desktop', '127.0.0.1');
    expect(await devices.revoke(device.id)).toBe(true);
    expect(await devices.revoke(device.id)).toBe(false);
    expect(await devices.authenticate(secret, '10.0.0.2')).toBeNull();
    expect(await devices.revokeAll()).toBe(1);
    expect(heard).toEqual([device.id, null]);
  });

  it('lists the most recently seen first, marking the current one', async () => {
    let now = 1_000_000_000;
    const devices = await DeviceSessions.open({ store: makeStore(), idleSeconds: 3600, clock: () => now });
    const first = (await devices.signIn('first', '10.0.0.2'))!;
    now += 120_000;
    const second = (await devices.signIn('second', '10.0.0.3'))!;
    expect((await devices.list(first.device.id)).map((device) => [device.label, device.current])).toEqual([
      ['second', false],
      ['first', true],
    ]);
    expect(second.device.label).toBe('second');
  });

  it('revoking a device revokes, transitively, the devices it paired, and says so for each; a sibling stays', async () => {
    const devices = await DeviceSessions.open({ store: makeStore(), idleSeconds: 3600 });
    const heard: (string | null)[] = [];
    devices.onRevoked((id) => heard.push(id));
    const laptop = (await devices.signIn('laptop', '10.0.0.2'))!;
    const phone = (await devices.signIn('phone', '10.0.0.3', laptop.device.id))!;
    const tablet = (await devices.signIn('tablet', '10.0.0.4', phone.device.id))!;
    const desktop = (await devices.signIn('desktop', '10.0.0.5'))!;
    expect(await devices.revoke(phone.device.id)).toBe(true);
    expect(heard.sort()).toEqual([phone.device.id, tablet.device.id].sort());
    expect(await devices.authenticate(tablet.secret, '10.0.0.4')).toBeNull();
    expect((await devices.list(null)).map((device) => device.label).sort()).toEqual(['desktop', 'laptop']);
    expect(await devices.authenticate(desktop.secret, '10.0.0.5')).not.toBeNull();
  });

  it('a code asked for by a device revoked since signs nobody in', async () => {
    const devices = await DeviceSessions.open({ store: makeStore(), idleSeconds: 3600 });
    const stolen = (await devices.signIn('stolen', '10.0.0.2'))!;
    await devices.revoke(stolen.device.id);
    expect(await devices.signIn('thief', '10.0.0.9', stolen.device.id)).toBeNull();
    expect(await devices.list(null)).toEqual([]);
  });

  it('labels stay distinct: the same name (in any case) gets a number, within the length limit', async () => {
    const devices = await DeviceSessions.open({ store: makeStore(), idleSeconds: 3600 });
    const labels: string[] = [];
    for (const label of ['Chrome on Android', 'chrome on android', 'Chrome on Android', 'x'.repeat(100), 'X'.repeat(100)])
      labels.push((await devices.signIn(label, '10.0.0.2'))!.device.label);
    expect(labels).toEqual([
      'Chrome on Android',
      'chrome on android (2)',
      'Chrome on Android (3)',
      'x'.repeat(100),
      `${'X'.repeat(96)} (2)`,
    ]);
  });
});

describe('device cookies', () => {
  it('are named by the installation, __Host- over HTTPS', async () => {
    const store = new MemoryDeviceStore();
    const devices = await DeviceSessions.open({ store, idleSeconds: 3600 });
    expect(devices.cookieName(false)).toBe(`vibes_device_${await store.deviceCookieId()}`);
    expect(devices.cookieName(true)).toBe(`__Host-vibes_device_${await store.deviceCookieId()}`);
  });

  it('every value of each name is read, the current name first, the last sent first, each once, at most the limit', async () => {
    const header = 'a=1; vibes_device=old; x_y=2; own=s1; own=s2;own=s1; other=3; own=s3';
    expect(readCookies(header, ['own', 'vibes_device'], 10)).toEqual(['s3', 's1', 's2', 'old']);
    expect(readCookies(header, ['own', 'vibes_device'], 2)).toEqual(['s3', 's1']);
    expect(readCookies(undefined, ['own'], 10)).toEqual([]);
    expect(readCookies('own=; =x; own', ['own'], 10)).toEqual([]);
  });
});

describe('isVisibleText', () => {
  it.each([
    ['zero-width space', 'pho\u200bne'],
    ['line separator', 'phone\u2028'],
    ['byte order mark', '\ufeffphone'],
    ['right-to-left override', 'x\u202ey'],
    ['a control character', 'a\u0007b'],
  ])('refuses a %s', (_name, text) => {
    expect(isVisibleText(text)).toBe(false);
  });

  it.each(['My phone', 'Téléphone de Zoë', '👩‍💻 work', '🏳️‍🌈'])('keeps %s', (text) => {
    expect(isVisibleText(text)).toBe(true);
  });
});

describe('SignInThrottle', () => {
  it('allows two attempts a minute plus twelve an hour per address (fourteen at once), like code-server', async () => {
    let now = 0;
    const throttle = new SignInThrottle(() => now);
    const attempts = Array.from({ length: 20 }, () => throttle.take('10.0.0.9'));
    expect(attempts.filter((attempt) => attempt.allowed)).toHaveLength(14);
    expect(attempts.at(-1)).toMatchObject({ allowed: false, retryAfterSeconds: expect.any(Number) });
    now += 60_000;
    expect(throttle.take('10.0.0.9').allowed).toBe(true);
  });

  it('an attempt is spent when taken: many taken at once, before any is judged, cannot pass the allowance', async () => {
    const throttle = new SignInThrottle(() => 0);
    const held = Array.from({ length: 50 }, () => throttle.take('10.0.0.9'));
    expect(held.filter((attempt) => attempt.allowed)).toHaveLength(14);
  });

  it('an attempt given back (a right code) can be made again, once', async () => {
    const throttle = new SignInThrottle(() => 0);
    const first = throttle.take('10.0.0.9');
    for (let i = 0; i < 13; i++) throttle.take('10.0.0.9');
    expect(throttle.take('10.0.0.9').allowed).toBe(false);
    if (!first.allowed) throw new Error('the first attempt was refused');
    first.giveBack();
    first.giveBack();
    expect(throttle.take('10.0.0.9').allowed).toBe(true);
    expect(throttle.take('10.0.0.9').allowed).toBe(false);
  });

  it('bounds attempts from all addresses together', async () => {
    const throttle = new SignInThrottle(() => 0);
    const attempts = Array.from({ length: 100 }, (_, i) => throttle.take(`10.0.${i}.1`));
    expect(attempts.filter((attempt) => attempt.allowed)).toHaveLength(70);
    expect(throttle.take('10.9.9.9').allowed).toBe(false);
  });
});

describe('tokenProblem', () => {
  it.each([
    ['x'.repeat(31), /at least 32 characters/],
    ['a'.repeat(64), /too regular/],
    ['0123456789'.repeat(2) + 'aaaaaaaaaaaaaaaaaaaa', /too regular/],
    ['0123456789abcdef'.repeat(2), /a sequence/],
    ['zyxwvutsrqponmlkjihgfedcba9876543210', /a sequence/],
    ['k3J9#mQ2!p'.repeat(4), /a block repeated/],
  ])('refuses %s', (token, problem) => {
    expect(tokenProblem(token)).toMatch(problem);
    expect(tokenProblem(token)).not.toContain(token);
  });

  it.each(['T3rG9xQ2mVb7Lp4ZsK8wYc1NdH5fJ6aR', 'f3a9c2e71b5d8046a2c9e3f1b7d50864'])('accepts %s', (token) => {
    expect(tokenProblem(token)).toBeNull();
  });

  it('accepts what `openssl rand -base64 32` and `-hex 32` make, every time', async () => {
    for (let i = 0; i < 2000; i++) {
      expect(tokenProblem(randomBytes(32).toString('base64'))).toBeNull();
      expect(tokenProblem(randomBytes(32).toString('hex'))).toBeNull();
    }
  });

  it('names the variable it checks', async () => {
    expect(tokenProblem('short', 'VIBES_TRUSTED_PROXY_SECRET')).toMatch(/^VIBES_TRUSTED_PROXY_SECRET must be/);
  });
});

describe('labelFromUserAgent', () => {
  it.each([
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36',
      'Chrome on Android',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      'Safari on iPhone',
    ],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0', 'Firefox on Linux'],
    [undefined, 'Browser'],
  ])('%s is %s', (agent, label) => {
    expect(labelFromUserAgent(agent)).toBe(label);
  });
});
