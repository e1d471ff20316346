import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryDeviceStore } from '../../../lib/core/devices.ts';
import { SqliteStore } from '../../../lib/core/sqlite-store.ts';
import { DeviceSessions, hashSecret, labelFromUserAgent, PairingCodes } from '../../../lib/server/devices.ts';
import { SignInThrottle } from '../../../lib/server/sign-in-throttle.ts';
import { tokenProblem } from '../../../lib/server/token.ts';
import { PairingCode } from '../../../lib/protocol/index.ts';

const normalise = (code: string) => PairingCode.parse(code);

describe('PairingCodes', () => {
  it('a code works once', () => {
    const codes = new PairingCodes({ ttlSeconds: 300 });
    const { code } = codes.issue();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(codes.consume(normalise(code))).toBe(true);
    expect(codes.consume(normalise(code))).toBe(false);
  });

  it('a code is refused once its time is up', () => {
    let now = 1_000_000;
    const codes = new PairingCodes({ ttlSeconds: 300, clock: () => now });
    const { code, expiresAt } = codes.issue();
    expect(expiresAt).toBe(1300);
    now += 300_000;
    expect(codes.consume(normalise(code))).toBe(false);
  });

  it('typing it in lower case or without the dash is the same code', () => {
    const codes = new PairingCodes({ ttlSeconds: 300 });
    const { code } = codes.issue();
    expect(codes.consume(normalise(code.toLowerCase().replace('-', ' ')))).toBe(true);
  });

  it('clear() forgets every open code (a rotation)', () => {
    const codes = new PairingCodes({ ttlSeconds: 300 });
    const { code } = codes.issue();
    codes.clear();
    expect(codes.consume(normalise(code))).toBe(false);
  });
});

describe.each([
  ['memory', () => new MemoryDeviceStore()],
  ['sqlite', () => new SqliteStore(':memory:').devices],
])('DeviceSessions over the %s store', (_name, makeStore) => {
  it('keeps only a hash of the secret, and knows the device by its secret', () => {
    const store = makeStore();
    const devices = new DeviceSessions({ store, idleSeconds: 3600 });
    const { device, secret } = devices.signIn('phone', '10.0.0.2');
    expect(store.listDevices()[0]!.secretHash).toBe(hashSecret(secret));
    expect(JSON.stringify(store.listDevices())).not.toContain(secret);
    expect(devices.authenticate(secret, '10.0.0.2')?.id).toBe(device.id);
    expect(devices.authenticate(`${secret.slice(0, -1)}x`, '10.0.0.2')).toBeNull();
  });

  it('ids can be typed as a CLI argument: never a leading dash, whatever the random bytes', () => {
    const devices = new DeviceSessions({ store: makeStore(), idleSeconds: 3600 });
    const ids = Array.from({ length: 300 }, () => devices.signIn('phone', '10.0.0.2').device.id);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{18}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a device unused past the idle limit is signed out; use keeps it alive', () => {
    let now = 1_000_000_000;
    const devices = new DeviceSessions({ store: makeStore(), idleSeconds: 3600, clock: () => now });
    const { secret } = devices.signIn('phone', '10.0.0.2');
    now += 3000_000;
    expect(devices.authenticate(secret, '10.0.0.3')).not.toBeNull();
    now += 3000_000;
    expect(devices.authenticate(secret, '10.0.0.3')).not.toBeNull();
    now += 3601_000;
    expect(devices.authenticate(secret, '10.0.0.3')).toBeNull();
    expect(devices.list(null)).toEqual([]);
  });

  it('revoking tells the listeners which device; rotating says every device', () => {
    const devices = new DeviceSessions({ store: makeStore(), idleSeconds: 3600 });
    const heard: (string | null)[] = [];
    devices.onRevoked((id) => heard.push(id));
    const { device, secret } = devices.signIn('phone', '10.0.0.2');
    devices.signIn('desktop', '127.0.0.1');
    expect(devices.revoke(device.id)).toBe(true);
    expect(devices.revoke(device.id)).toBe(false);
    expect(devices.authenticate(secret, '10.0.0.2')).toBeNull();
    expect(devices.revokeAll()).toBe(1);
    expect(heard).toEqual([device.id, null]);
  });

  it('lists the most recently seen first, marking the current one', () => {
    let now = 1_000_000_000;
    const devices = new DeviceSessions({ store: makeStore(), idleSeconds: 3600, clock: () => now });
    const first = devices.signIn('first', '10.0.0.2');
    now += 120_000;
    const second = devices.signIn('second', '10.0.0.3');
    expect(devices.list(first.device.id).map((device) => [device.label, device.current])).toEqual([
      ['second', false],
      ['first', true],
    ]);
    expect(second.device.label).toBe('second');
  });
});

describe('SignInThrottle', () => {
  it('allows two failures a minute plus twelve an hour per address (fourteen at once), like code-server', () => {
    let now = 0;
    const throttle = new SignInThrottle(() => now);
    let allowed = 0;
    for (let i = 0; i < 20; i++) {
      if (throttle.retryAfter('10.0.0.9') > 0) break;
      throttle.failed('10.0.0.9');
      allowed++;
    }
    expect(allowed).toBe(14);
    expect(throttle.retryAfter('10.0.0.9')).toBeGreaterThan(0);
    now += 60_000;
    expect(throttle.retryAfter('10.0.0.9')).toBe(0);
  });

  it('bounds failures from all addresses together', () => {
    const throttle = new SignInThrottle(() => 0);
    for (let i = 0; i < 100; i++) throttle.failed(`10.0.${i}.1`);
    expect(throttle.retryAfter('10.9.9.9')).toBeGreaterThan(0);
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

  it('accepts what `openssl rand -base64 32` and `-hex 32` make, every time', () => {
    for (let i = 0; i < 2000; i++) {
      expect(tokenProblem(randomBytes(32).toString('base64'))).toBeNull();
      expect(tokenProblem(randomBytes(32).toString('hex'))).toBeNull();
    }
  });

  it('names the variable it checks', () => {
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
