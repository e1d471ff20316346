import { createHmac } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { CLIENT_ID_HEADER, NotificationPayload } from '../../lib/protocol/index.ts';
import { useServer } from '../support/api-harness.ts';
import { startServerProcess } from '../support/server-process.ts';
import { BrowserPushKeys, StandInServer, type ReceivedRequest } from '../support/push-service.ts';
import { deviceCookie } from '../support/sign-in.ts';

/**
 * Push notifications end to end: real server, fake Claude, a stand-in push service on loopback
 * that receives what web-push sends and decrypts it with the subscription's own keys.
 */
const pushService = await StandInServer.start();
const webhook = await StandInServer.start();
afterAll(async () => {
  await pushService.close();
  await webhook.close();
});

const WEBHOOK_SECRET = 'hook-secret-Zq4Lw9Xv2Km7Np3Rt8Hy6Jc';
const vibes = useServer({
  env: {
    // A user name and password in the URL, as ntfy's access control wants them: sent as Basic auth, never logged.
    VIBES_NOTIFY_URL: `${webhook.url.replace('://', '://hook-user:hook-pass-4711@')}/hook`,
    VIBES_NOTIFY_SECRET: WEBHOOK_SECRET,
    // A plain reply takes milliseconds; `stream 4 chunks every 300 ms` over a second.
    VIBES_NOTIFY_TURN_S: '0.5',
    VIBES_PUBLIC_URL: 'https://vibes.example.test',
    // The stand-in push service is plain HTTP on loopback: the owner's opt-in.
    VIBES_PUSH_ALLOW_PRIVATE: '1',
  },
});

interface Device {
  cookie: string;
  keys: BrowserPushKeys;
  path: string;
}

async function request(name: string, path: string, init: { cookie?: string; clientId?: string; body?: unknown; method?: string }) {
  const response = await vibes.raw(path, {
    method: init.method ?? 'POST',
    ...(init.cookie ? { anonymous: true } : {}),
    headers: {
      ...(init.cookie ? { cookie: init.cookie, origin: vibes.url } : {}),
      ...(init.clientId ? { [CLIENT_ID_HEADER]: init.clientId } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const json: unknown = await response.json();
  if (!response.ok) throw new Error(`${name} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

async function subscribedDevice(label: string, kinds?: string[]): Promise<Device> {
  const cookie = await deviceCookie(vibes.url, vibes.token, label);
  const keys = new BrowserPushKeys();
  const path = `/push/${label}`;
  await request('subscribe', '/api/notifications/subscription', {
    cookie,
    body: { ...keys.subscription(`${pushService.url}${path}`), ...(kinds ? { kinds } : {}) },
  });
  return { cookie, keys, path };
}

/** Every push this device received, decrypted. */
function pushesTo(device: Device): NotificationPayload[] {
  return pushService.received
    .filter((received) => received.path === device.path)
    .map((received) => NotificationPayload.parse(JSON.parse(device.keys.decrypt(received.body))));
}

async function nextPush(device: Device, matches: (payload: NotificationPayload) => boolean): Promise<NotificationPayload> {
  const received = await pushService.waitFor(
    (candidate: ReceivedRequest) =>
      candidate.path === device.path && matches(NotificationPayload.parse(JSON.parse(device.keys.decrypt(candidate.body)))),
  );
  return NotificationPayload.parse(JSON.parse(device.keys.decrypt(received.body)));
}

const forSession = (sessionId: string, kind?: string) => (payload: NotificationPayload) =>
  payload.session_id === sessionId && (kind === undefined || (payload.type === 'show' && payload.kind === kind));

let phone: Device;
let desktop: Device;

describe('push notifications', () => {
  it('a device subscribes; the list shows it with its kinds; the payload key comes from $VIBES_HOME', async () => {
    phone = await subscribedDevice('phone');
    desktop = await subscribedDevice('desktop', ['failed']);
    const settings = (await request('settings', '/api/notifications', { cookie: phone.cookie, method: 'GET' })) as {
      public_key: string;
      subscription: { kinds: string[] } | null;
    };
    expect(settings.public_key).toMatch(/^[A-Za-z0-9_-]{87}$/);
    expect(settings.subscription?.kinds).toEqual(['permission', 'turn_finished', 'failed']);
    const devices = await vibes.client().listDevices();
    expect(devices.find((device) => device.label === 'desktop')?.notifications?.kinds).toEqual(['failed']);
  });

  it('a permission request reaches the phone, encrypted to its keys: tool, command, tag per session, no secret', async () => {
    const alice = vibes.client('alice');
    const session = await alice.createSession({ prompt: 'bash', name: 'notified' });
    const payload = await nextPush(phone, forSession(session.id, 'permission'));
    expect(payload).toMatchObject({
      type: 'show',
      kind: 'permission',
      tag: `vibes-session-${session.id}`,
      url: `/?session=${session.id}`,
      actions: true,
    });
    if (payload.type !== 'show') throw new Error('not shown');
    expect(payload.title).toBe('notified: allow Bash?');
    expect(payload.body.length).toBeGreaterThan(0);
    const pending = (await alice.getSession(session.id)).pending_permissions[0]!;
    expect(payload.request_id).toBe(pending.request_id);
    if (pending.display.type === 'command') expect(payload.body).toBe(pending.display.command.split('\n')[0]);
    // Nothing that signs anybody in travels, encrypted or not.
    const raw = pushService.received.filter((received) => received.path === phone.path);
    for (const received of raw) {
      expect(received.body.toString('latin1')).not.toContain(vibes.token);
      expect(JSON.stringify(pushesTo(phone))).not.toContain(vibes.token);
      expect(JSON.stringify(pushesTo(phone))).not.toContain(phone.cookie.split('=')[1]);
      // VAPID: the server's key and a signed claim for this push service.
      expect(received.headers.authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]{87}$/);
      expect(received.headers['content-encoding']).toBe('aes128gcm');
    }
    // The desktop asked only for failures.
    expect(pushesTo(desktop)).toEqual([]);
    // The webhook gets the same event as JSON, with the public link.
    const hook = await webhook.waitFor((received) => JSON.parse(received.body.toString()).request_id === pending.request_id);
    expect(JSON.parse(hook.body.toString())).toEqual({ ...payload, click_url: `https://vibes.example.test/?session=${session.id}` });

    // Answered the way the service worker does (the device's cookie, a client of its own): the
    // answer is recorded as the phone's, and the notification is withdrawn under the same tag.
    const clientId = 'notification-test';
    await request('subscribe', `/api/sessions/${session.id}/subscribe`, { cookie: phone.cookie, clientId, body: {} });
    await request('answer', `/api/sessions/${session.id}/permissions/${pending.request_id}`, {
      cookie: phone.cookie,
      clientId,
      body: { behavior: 'allow', source: 'web' },
    });
    const withdraw = await nextPush(phone, (candidate) => candidate.type === 'withdraw' && candidate.session_id === session.id);
    expect(withdraw).toEqual({ type: 'withdraw', tag: `vibes-session-${session.id}`, session_id: session.id });
    const { events } = await alice.events(session.id, { limit: 100 });
    const resolved = events.map((entry) => entry.event).find((event) => event.type === 'permission_resolved');
    expect(resolved).toMatchObject({ behavior: 'allow', client_id: clientId, source: 'web', device: 'phone' });
    await webhook.waitFor((received) => JSON.parse(received.body.toString()).type === 'withdraw');
  });

  it('"turn finished" for a long turn only, with the reply’s first line; one tag per session', async () => {
    const bob = vibes.client('bob');
    const stream = await vibes.stream({ clientId: 'bob' });
    const session = await bob.createSession({ prompt: 'hello', name: 'turns' });
    await stream.waitForEvent('session_event', (event) => event.session_id === session.id && event.event.type === 'turn_complete');
    await bob.sendInput(session.id, 'stream 4 chunks every 300 ms');
    const finished = await nextPush(phone, forSession(session.id, 'turn_finished'));
    expect(finished).toMatchObject({ title: 'Done: turns', tag: `vibes-session-${session.id}` });
    if (finished.type === 'show') expect(finished.body).not.toContain('\n');
    // The quick first turn sent nothing.
    expect(pushesTo(phone).filter(forSession(session.id, 'turn_finished'))).toHaveLength(1);
    expect(pushesTo(desktop).filter(forSession(session.id))).toEqual([]);
  });

  it('nothing for a session a visible page shows; the others still notify', async () => {
    const carol = vibes.client('carol');
    await vibes.stream({ clientId: 'watcher' });
    const watched = await carol.createSession({ name: 'watched' });
    await request('watch', '/api/notifications/watch', { clientId: 'watcher', body: { session_id: watched.id, visible: true } });
    const stream = await vibes.stream({ clientId: 'carol' });
    await carol.sendInput(watched.id, 'bash');
    await stream.waitForEvent(
      'session_updated',
      (event) => event.session.id === watched.id && event.session.pending_permissions.length > 0,
    );
    // The next session's push arrives after anything the watched one would have sent.
    const other = await carol.createSession({ prompt: 'bash', name: 'unwatched' });
    await nextPush(phone, forSession(other.id, 'permission'));
    expect(pushesTo(phone).filter(forSession(watched.id))).toEqual([]);
  });

  it('a failure reaches every device that asked for it, with why', async () => {
    const session = await vibes.client('dave').createSession({ prompt: 'crash', name: 'crasher' });
    const onPhone = await nextPush(phone, forSession(session.id, 'failed'));
    const onDesktop = await nextPush(desktop, forSession(session.id, 'failed'));
    expect(onPhone).toEqual(onDesktop);
    expect(onPhone).toMatchObject({ title: 'Failed: crasher', tag: `vibes-session-${session.id}` });
    if (onPhone.type === 'show') expect(onPhone.body.length).toBeGreaterThan(0);
  });

  it('`notify test` reaches every device; a 410 from the push service removes that subscription', async () => {
    pushService.statusFor.set(desktop.path, 410);
    const first = (await request('test', '/api/notifications/test', { body: {} })) as { devices: number; webhook: boolean };
    expect(first).toEqual({ devices: 1, webhook: true });
    const devices = await vibes.client().listDevices();
    expect(devices.find((device) => device.label === 'desktop')?.notifications).toBeNull();
    expect(devices.find((device) => device.label === 'phone')?.notifications?.last_used_at).toEqual(expect.any(Number));
    const test = pushesTo(phone).at(-1);
    expect(test).toMatchObject({ type: 'show', kind: 'test', session_id: null });
  });

  it('signing a device out, or revoking it, removes its subscription', async () => {
    const tablet = await subscribedDevice('tablet');
    const before = (await request('test', '/api/notifications/test', { body: {} })) as { devices: number };
    expect(before.devices).toBe(2);
    await request('sign out', '/api/sign-out', { cookie: tablet.cookie, body: {} });
    const laptop = await subscribedDevice('laptop');
    const id = (await vibes.client().listDevices()).find((device) => device.label === 'laptop')!.id;
    await vibes.client().revokeDevice(id);
    const after = (await request('test', '/api/notifications/test', { body: {} })) as { devices: number };
    expect(after.devices).toBe(1);
    expect(pushesTo(laptop).filter((payload) => payload.type === 'show' && payload.kind === 'test')).toHaveLength(0);
  });

  it('turning notifications off removes the subscription; the token has no device to subscribe', async () => {
    await request('off', '/api/notifications/unsubscribe', { cookie: phone.cookie, body: {} });
    expect((await vibes.client().listDevices()).find((device) => device.label === 'phone')?.notifications).toBeNull();
    const response = await vibes.raw('/api/notifications/subscription', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(new BrowserPushKeys().subscription(`${pushService.url}/push/token`)),
    });
    expect(response.status).toBe(409);
  });

  it('keys no message could be encrypted for are refused with VALIDATION_FAILED, and nothing is stored', async () => {
    const cookie = await deviceCookie(vibes.url, vibes.token, 'broken keys');
    const good = new BrowserPushKeys().subscription(`${pushService.url}/push/broken`);
    const offCurve = { ...good, keys: { ...good.keys, p256dh: `B${'A'.repeat(86)}` } };
    const shortAuth = { ...good, keys: { ...good.keys, auth: Buffer.alloc(12, 1).toString('base64url') } };
    for (const [body, field] of [
      [offCurve, 'keys.p256dh'],
      [shortAuth, 'keys.auth'],
    ] as const) {
      const response = await vibes.raw('/api/notifications/subscription', {
        method: 'POST',
        anonymous: true,
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toContain(field);
    }
    expect((await vibes.client().listDevices()).find((device) => device.label === 'broken keys')?.notifications).toBeNull();
  });
});

describe('the webhook', () => {
  it('is signed (X-Vibes-Signature over time and body), its password goes as Basic auth and is never logged', async () => {
    await request('test', '/api/notifications/test', { body: {} });
    const hook = await webhook.waitFor((received) => received.path === '/hook' && JSON.parse(received.body.toString()).kind === 'test');
    expect(hook.headers.authorization).toBe(`Basic ${Buffer.from('hook-user:hook-pass-4711').toString('base64')}`);
    const signature = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(hook.headers['x-vibes-signature']));
    expect(signature).not.toBeNull();
    const [, time, mac] = signature!;
    expect(Math.abs(Number(time) - Date.now() / 1000)).toBeLessThan(600);
    expect(createHmac('sha256', WEBHOOK_SECRET).update(`${time}.${hook.body.toString()}`).digest('hex')).toBe(mac);
    expect(vibes.server.output()).not.toContain('hook-pass-4711');
  });
});

describe("push endpoints, without the owner's opt-in", () => {
  const strict = useServer();

  it.each([
    'http://push.example.com/plain-http',
    'https://127.0.0.1:9/loopback',
    'https://2130706433/decimal-loopback',
    'https://0x7f.1/hex-loopback',
    'https://0177.0.0.1/octal-loopback',
    'https://127.0.0.1./trailing-dot',
    'https://[::1]/v6-loopback',
    'https://[::ffff:127.0.0.1]/mapped-loopback',
    'https://169.254.169.254/latest/meta-data',
    'https://10.1.2.3/private',
    'https://192.168.1.1/private',
    'https://100.64.0.1/cgnat',
    'https://[fe80::1]/link-local',
    'https://[fd12::1]/unique-local',
    'https://0.0.0.0/unspecified',
    'https://224.0.0.1/multicast',
    'https://localhost./name',
    'https://router/single-label',
    'https://user:pw@push.example.com/credentials',
  ])('%s is refused at registration with VALIDATION_FAILED, and nothing is stored', async (endpoint) => {
    const label = `strict ${new URL(endpoint).pathname}`;
    const cookie = await deviceCookie(strict.url, strict.token, label);
    const response = await strict.raw('/api/notifications/subscription', {
      method: 'POST',
      anonymous: true,
      headers: { 'content-type': 'application/json', cookie, origin: strict.url },
      body: JSON.stringify(new BrowserPushKeys().subscription(endpoint)),
    });
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(response.status).toBe(400);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toMatch(/endpoint: .*VIBES_PUSH_ALLOW_PRIVATE=1/);
    expect((await strict.client().listDevices()).find((device) => device.label === label)?.notifications).toBeNull();
  });

  it('an endpoint stored while the owner allowed it is not sent to once the opt-in is gone, and the test counts it as not reached', async () => {
    const allowed = await startServerProcess({ env: { VIBES_PUSH_ALLOW_PRIVATE: '1' } });
    try {
      const cookie = await deviceCookie(allowed.url, allowed.token(), 'opted in');
      const subscribed = await fetch(new URL('/api/notifications/subscription', allowed.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, origin: allowed.url },
        body: JSON.stringify(new BrowserPushKeys().subscription(`${pushService.url}/push/opted-in`)),
      });
      expect(subscribed.status).toBe(200);
      await allowed.stop({ keepHome: true });
      const again = await startServerProcess({ home: allowed.home, env: { VIBES_TOKEN: allowed.token() } });
      try {
        const answer = await fetch(new URL('/api/notifications/test', again.url), {
          method: 'POST',
          headers: { authorization: `Bearer ${again.token()}`, 'content-type': 'application/json' },
          body: '{}',
        });
        expect(await answer.json()).toEqual({ devices: 0, webhook: false });
        await expect.poll(() => again.output()).toMatch(/did not send a push to a device: a push endpoint must be an https:\/\/ URL/);
        expect(pushService.received.filter((received) => received.path === '/push/opted-in')).toEqual([]);
      } finally {
        await again.stop();
      }
    } finally {
      await allowed.stop();
      rmSync(allowed.home, { recursive: true, force: true });
    }
  });
});

describe('shutdown', () => {
  it('aborts a push to an endpoint that never answers instead of waiting it out', async () => {
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    let closed!: () => void;
    const socketClosed = new Promise<void>((resolve) => (closed = resolve));
    const silent = createServer((req) => {
      req.resume();
      req.socket.once('close', closed);
      arrived();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const server = await startServerProcess({ env: { VIBES_PUSH_ALLOW_PRIVATE: '1' } });
    try {
      const cookie = await deviceCookie(server.url, server.token(), 'silent');
      const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/push`;
      const subscribed = await fetch(new URL('/api/notifications/subscription', server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, origin: server.url },
        body: JSON.stringify(new BrowserPushKeys().subscription(endpoint)),
      });
      expect(subscribed.status).toBe(200);
      // A permission request: a push the server tracks and, before, waited for at shutdown.
      const created = await fetch(new URL('/api/sessions', server.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token()}`, 'content-type': 'application/json', [CLIENT_ID_HEADER]: 'cli-silent' },
        body: JSON.stringify({ prompt: 'bash', demo: true }),
      });
      expect(created.status).toBe(201);
      await requestArrived;
      // Exits by itself (not killed), and the push ended by the shutdown, not by its own timeout.
      expect(await server.stop()).toBe(0);
      await socketClosed;
      expect(server.output()).not.toMatch(/sending a push notification failed/);
    } finally {
      await server.stop();
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
