import { describe, expect, it } from 'vitest';
import { ON_PHONE_CONTEXT } from '../../lib/core/reader-context.ts';
import { CLIENT_ID_HEADER, type DeviceInfo, type TranscriptEvent } from '../../lib/protocol/index.ts';
import { useServer } from '../support/api-harness.ts';
import { deviceCookie } from '../support/sign-in.ts';

/**
 * Issue 29: a signed-in browser may ask that Claude be told it is a phone. The real server and
 * the fake Claude, which says back the context its UserPromptSubmit hook was given.
 */
const vibes = useServer();
const PHONE_PATH = '/api/devices/current/phone';
const TOLD = `(Told beside your prompt: ${ON_PHONE_CONTEXT})`;

async function asDevice(cookie: string, path: string, body: unknown, clientId?: string) {
  const response = await vibes.raw(path, {
    method: 'POST',
    anonymous: true,
    headers: {
      cookie,
      origin: vibes.url,
      'content-type': 'application/json',
      ...(clientId ? { [CLIENT_ID_HEADER]: clientId } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function setting(label: string): Promise<boolean | undefined> {
  return (await vibes.client().listDevices()).find((device) => device.label === label)?.tell_claude_on_phone;
}

async function replies(sessionId: string, count: number): Promise<string[]> {
  let texts: string[] = [];
  await expect
    .poll(
      async () => {
        const { events } = await vibes.client('owner').events(sessionId, { limit: 1000 });
        const all = events.map((entry) => entry.event as TranscriptEvent);
        texts = all.flatMap((event) => (event.type === 'turn_complete' ? [event.result ?? ''] : []));
        return texts.length;
      },
      { timeout: 20_000 },
    )
    .toBeGreaterThanOrEqual(count);
  return texts;
}

describe('telling Claude the user is on a phone', () => {
  it('is set per device, off by default, and refused with a stable code for bad input and for the token', async () => {
    const phone = await deviceCookie(vibes.url, vibes.token, 'pocket phone');
    await deviceCookie(vibes.url, vibes.token, 'desk browser');
    expect(await setting('pocket phone')).toBe(false);

    const turnedOn = await asDevice(phone, PHONE_PATH, { on: true });
    expect(turnedOn.status).toBe(200);
    expect(turnedOn.body.device).toMatchObject({
      label: 'pocket phone',
      current: true,
      tell_claude_on_phone: true,
    } satisfies Partial<DeviceInfo>);
    expect(await setting('pocket phone')).toBe(true);
    expect(await setting('desk browser')).toBe(false);

    for (const bad of [{ on: 'yes' }, {}, { on: false, also: 1 }]) {
      const refused = await asDevice(phone, PHONE_PATH, bad);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
    expect(await setting('pocket phone')).toBe(true);

    // The token is no device: it has no such setting to change.
    const byToken = await vibes.raw(PHONE_PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"on":true}' });
    expect(byToken.status).toBe(409);
    expect(await byToken.json()).toMatchObject({ error: { code: 'INVALID_STATE' } });

    const turnedOff = await asDevice(phone, PHONE_PATH, { on: false });
    expect(turnedOff.body.device).toMatchObject({ tell_claude_on_phone: false });
    expect(await setting('pocket phone')).toBe(false);
  });

  it('tells Claude beside the prompts of that device only, never for a slash command, the text as typed', async () => {
    const phone = await deviceCookie(vibes.url, vibes.token, 'opted-in phone');
    const desk = await deviceCookie(vibes.url, vibes.token, 'desk');
    expect((await asDevice(phone, PHONE_PATH, { on: true })).status).toBe(200);

    // The first prompt of a session the phone creates.
    const created = await asDevice(phone, '/api/sessions', { cwd: process.cwd(), prompt: 'first from the phone' }, 'owner');
    expect(created.status).toBe(201);
    const sessionId = (created.body.session as { id: string }).id;
    expect((await replies(sessionId, 1))[0]).toContain(TOLD);

    const sends: [string | null, string][] = [
      [null, 'from the token'],
      [desk, 'from the desk'],
      [phone, '/compact'],
      [phone, 'second from the phone'],
    ];
    for (const [index, [cookie, content]] of sends.entries()) {
      if (cookie === null) await vibes.client('owner').sendInput(sessionId, content);
      else expect((await asDevice(cookie, `/api/sessions/${sessionId}/input`, { content }, 'owner')).status).toBe(202);
      await replies(sessionId, index + 2);
    }
    const texts = await replies(sessionId, 5);
    expect(texts.map((text) => text.includes(TOLD))).toEqual([true, false, false, false, true]);

    const { events } = await vibes.client('owner').events(sessionId, { limit: 1000 });
    const inputs = events.flatMap((entry) => (entry.event.type === 'user_input' ? [entry.event.content] : []));
    expect(inputs).toEqual(['first from the phone', 'from the token', 'from the desk', '/compact', 'second from the phone']);
  });
});
