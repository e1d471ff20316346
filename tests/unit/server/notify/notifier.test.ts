import webPush from 'web-push';
import { describe, expect, it, vi } from 'vitest';
import { EventBus, type CoreEvent } from '../../../../lib/core/index.ts';
import { MemoryDeviceStore } from '../../../../lib/core/devices.ts';
import type { TranscriptEvent } from '../../../../lib/protocol/index.ts';
import { Notifier } from '../../../../lib/server/notify/notifier.ts';
import { redactUrls } from '../../../../lib/server/notify/transports/webhook.ts';
import { BrowserPushKeys } from '../../../support/push-service.ts';
import { sessionInfo } from '../../../support/session-fixture.ts';

const SESSION = '11111111-2222-3333-4444-555555555555';

async function setUp(options: { format?: 'json' | 'ntfy'; watched?: boolean; unreachable?: boolean } = {}) {
  const bus = new EventBus<CoreEvent>({ ringSize: 64 });
  const devices = new MemoryDeviceStore();
  const posts: { url: string; headers: Record<string, string>; body: Buffer | string }[] = [];
  const keys = new BrowserPushKeys();
  await devices.insertDevice({
    id: 'phone',
    secretHash: 'x',
    label: 'phone',
    createdAt: 1,
    lastSeenAt: 1,
    address: '127.0.0.1',
    pairedBy: null,
  });
  const { endpoint, keys: subscriptionKeys } = keys.subscription('https://push.example/phone');
  await devices.savePushSubscription({
    deviceId: 'phone',
    endpoint,
    ...subscriptionKeys,
    kinds: ['permission', 'turn_finished', 'failed'],
    createdAt: 1,
    lastUsedAt: null,
  });
  const notifier = new Notifier({
    bus,
    devices,
    vapid: webPush.generateVAPIDKeys(),
    vapidSubject: 'mailto:test@example.com',
    turnThresholdMs: 30_000,
    isWatched: () => options.watched ?? false,
    webhook: { url: 'https://hook.example/notify', format: options.format ?? 'json', publicUrl: 'https://vibes.example' },
    clock: () => 1000,
    post: async (url, init) => {
      if (options.unreachable) throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
      posts.push({ url, ...init });
      return { status: 201 };
    },
  });
  notifier.start();
  const event = (transcript: TranscriptEvent) =>
    bus.publish({ type: 'session_event', session_id: SESSION, entry: { seq: 1, at: 1, event: transcript } });
  const pushes = () =>
    posts.filter((post) => post.url.startsWith('https://push.example')).map((post) => JSON.parse(keys.decrypt(post.body as Buffer)));
  const hooks = () => posts.filter((post) => post.url.startsWith('https://hook.example'));
  return { notifier, event, pushes, hooks, devices, bus };
}

const turn = (durationMs: number): TranscriptEvent => ({
  type: 'turn_complete',
  is_error: false,
  duration_ms: durationMs,
  cost_usd: 0,
  usage: { input_tokens: 1, output_tokens: 1 },
});

describe('Notifier', () => {
  it('"turn finished" only past the threshold, with the first non-empty line of the last reply', async () => {
    const { notifier, event, pushes } = await setUp();
    event({ type: 'text', message_id: 'm1', text: 'early' });
    event(turn(29_999));
    event({ type: 'text', message_id: 'm2', text: '\n  All 12 tests pass.  \nDetails below.' });
    event(turn(30_000));
    await notifier.settled();
    expect(pushes()).toEqual([
      expect.objectContaining({ kind: 'turn_finished', body: 'All 12 tests pass.', tag: `vibes-session-${SESSION}` }),
    ]);
  });

  it('a subscription stored with keys no message can be encrypted for is dropped at its first push, not failed on every time', async () => {
    const { notifier, pushes, devices } = await setUp();
    await insertOldDevice(devices);
    await devices.savePushSubscription({
      deviceId: 'old',
      endpoint: 'https://push.example/old',
      p256dh: `B${'A'.repeat(86)}`,
      auth: 'A'.repeat(22),
      kinds: ['permission', 'turn_finished', 'failed'],
      createdAt: 1,
      lastUsedAt: null,
    });
    const errors = await capturedErrors(() => notifier.sendTest());
    expect(errors).toEqual([expect.stringContaining('dropped a push subscription no message can be encrypted for (keys.p256dh')]);
    expect(await devices.pushSubscription('old')).toBeUndefined();
    expect(await devices.pushSubscription('phone')).toBeDefined();
    expect(pushes()).toEqual([expect.objectContaining({ kind: 'test' })]);
    expect(await capturedErrors(() => notifier.sendTest())).toEqual([]);
  });

  it('a push service or webhook that cannot be reached is logged with the reason, not just "fetch failed"', async () => {
    const { notifier } = await setUp({ unreachable: true });
    expect(await capturedErrors(() => notifier.sendTest())).toEqual([
      'vibes: sending a push notification failed: fetch failed (connect ECONNREFUSED 127.0.0.1:9)',
      'vibes: the notification webhook failed: fetch failed (connect ECONNREFUSED 127.0.0.1:9)',
    ]);
  });

  it('ntfy: the text as the body, title, priority, tags and the click link as headers; no withdraw', async () => {
    const { notifier, event, hooks } = await setUp({ format: 'ntfy' });
    event({
      type: 'permission_request',
      request_id: 'r1',
      tool_name: 'Bash',
      input: { command: 'rm -rf build\necho done' },
      kind: 'tool',
      display: { type: 'command', command: 'rm -rf build\necho done', description: null, cwd: '/tmp' } as never,
      suggestions: [],
    });
    event({ type: 'permission_resolved', request_id: 'r1', behavior: 'deny', client_id: 'c' });
    await notifier.settled();
    expect(hooks()).toHaveLength(1);
    expect(hooks()[0]).toMatchObject({
      body: 'rm -rf build',
      headers: {
        Title: 'Session 11111111: allow Bash?',
        Priority: 'high',
        Tags: 'warning',
        Click: `https://vibes.example/?session=${SESSION}`,
      },
    });
  });

  it('names the session by its title once a snapshot told it, not by its id', async () => {
    const { notifier, event, pushes, bus } = await setUp();
    bus.publish({ type: 'session_updated', session: sessionInfo(SESSION, { title: 'Fix the login bug', state: 'processing' }) });
    event({ type: 'text', message_id: 'm', text: 'Fixed.' });
    event(turn(45_000));
    await notifier.settled();
    expect(pushes()).toEqual([expect.objectContaining({ kind: 'turn_finished', title: 'Done: Fix the login bug', body: 'Fixed.' })]);
  });

  it('nothing for a watched session, to devices or the webhook', async () => {
    const { notifier, event, pushes, hooks } = await setUp({ watched: true });
    event({ type: 'text', message_id: 'm', text: 'done' });
    event(turn(60_000));
    await notifier.settled();
    expect(pushes()).toEqual([]);
    expect(hooks()).toEqual([]);
  });
});

/** What `use` printed with console.error, which it does not print. */
async function capturedErrors(use: () => Promise<unknown>): Promise<string[]> {
  const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    await use();
    return spy.mock.calls.map((call) => call.map(String).join(' '));
  } finally {
    spy.mockRestore();
  }
}

/** A device signed in before the push rules, whose stored subscription a test then plants. */
async function insertOldDevice(devices: Awaited<ReturnType<typeof setUp>>['devices']): Promise<void> {
  await devices.insertDevice({
    id: 'old',
    secretHash: 'y',
    label: 'old',
    createdAt: 1,
    lastSeenAt: 1,
    address: '127.0.0.1',
    pairedBy: null,
  });
}

describe('sending', () => {
  it('a stored endpoint the rules refuse (stored before them) is never posted to, and counts as not reached', async () => {
    const { notifier, devices, pushes } = await setUp();
    await insertOldDevice(devices);
    const keys = new BrowserPushKeys().subscription('http://127.0.0.1:9/old');
    await devices.savePushSubscription({
      deviceId: 'old',
      endpoint: keys.endpoint,
      ...keys.keys,
      kinds: ['failed'],
      createdAt: 1,
      lastUsedAt: null,
    });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      // The phone (https://push.example) is reached; the loopback one is not tried.
      expect(await notifier.sendTest()).toEqual({ devices: 1, webhook: true });
      expect(pushes()).toHaveLength(1);
      expect(errors).toHaveBeenCalledWith(expect.stringMatching(/did not send a push to a device: a push endpoint must be an https/));
    } finally {
      errors.mockRestore();
    }
  });
});

describe('redactUrls', () => {
  it('replaces the user name and password of every URL in a text', async () => {
    expect(redactUrls('Request cannot be constructed from https://ntfy:hunter2@ntfy.example/topic and http://a@b.example/')).toBe(
      'Request cannot be constructed from https://***:***@ntfy.example/topic and http://***:***@b.example/',
    );
    expect(redactUrls('connect ECONNREFUSED 127.0.0.1:9 (https://ntfy.example/topic)')).toBe(
      'connect ECONNREFUSED 127.0.0.1:9 (https://ntfy.example/topic)',
    );
  });
});
