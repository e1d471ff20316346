import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/client/node/api-client.ts';
import { ErrorBody, type ErrorCode } from '../../lib/protocol/index.ts';
import { useServer } from '../support/api-harness.ts';
import { deviceCookie } from '../support/sign-in.ts';

const vibes = useServer();

async function expectError(call: Promise<unknown>, code: ErrorCode, status: number): Promise<void> {
  const error = await call.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ApiError);
  expect(error).toMatchObject({ code, status });
}

async function expectRawError(response: Response, code: ErrorCode, status: number): Promise<void> {
  expect(response.status).toBe(status);
  expect(ErrorBody.parse(await response.json()).error.code).toBe(code);
}

/** Everything a client could observe, to show a refused request changed nothing. */
async function observableState() {
  const sessions = await vibes.client('observer').listSessions();
  const transcripts = await Promise.all(sessions.map((session) => vibes.client('observer').events(session.id, { limit: 1000 })));
  return { sessions: sessions.map(({ last_activity_at: _, ...rest }) => rest), transcripts };
}

describe('GET /api/health', () => {
  it('answers with the epoch and version', async () => {
    const health = await vibes.client().health();
    expect(health).toMatchObject({ ok: true, version: '0.1.0' });
    expect(health.epoch).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('sessions', () => {
  it('POST /api/sessions creates a session owned and subscribed by the caller', async () => {
    const alice = vibes.client('alice');
    const session = await alice.createSession({ name: 'build', cwd: tmpdir() });
    expect(session).toMatchObject({
      name: 'build',
      cwd: tmpdir(),
      owner_id: 'alice',
      is_owner: true,
      subscriber_count: 1,
      state: 'idle',
      pending_permissions: [],
    });
    expect(await vibes.client('bob').getSession(session.id)).toMatchObject({ id: session.id, is_owner: false });
    expect((await alice.listSessions()).map((s) => s.id)).toContain(session.id);
  });

  it('uses the server cwd when none is given and records the first prompt as input', async () => {
    const session = await vibes.client('alice').createSession({ prompt: 'hello there' });
    expect(session.cwd).toBe(process.cwd());
    const page = await vibes.client('alice').events(session.id);
    expect(page.events[0]?.event).toMatchObject({ type: 'user_input', content: 'hello there', client_id: 'alice', source: 'api' });
    // Its turn ends before the next test, which checks that nothing changes while it runs.
    await expect
      .poll(
        async () =>
          (await vibes.client('alice').events(session.id, { limit: 1000 })).events.some((entry) => entry.event.type === 'turn_complete'),
        { timeout: 15_000 },
      )
      .toBe(true);
    await expect.poll(async () => (await vibes.client('alice').getSession(session.id)).state, { timeout: 15_000 }).toBe('idle');
  });

  it('GET /api/sessions/:id of an unknown id is 404 NOT_FOUND', async () => {
    await expectError(vibes.client('a').getSession('nope'), 'NOT_FOUND', 404);
    await expectError(vibes.client('a').events('nope'), 'NOT_FOUND', 404);
  });

  it('creating needs a client id, a directory that exists, and a valid body', async () => {
    const before = await observableState();
    const file = join(mkdtempSync(join(tmpdir(), 'vibes-cwd-')), 'file.txt');
    writeFileSync(file, 'x');
    await expectError(vibes.client().createSession({}), 'MISSING_CLIENT_ID', 400);
    await expectError(vibes.client('a').createSession({ cwd: '/no/such/dir' }), 'INVALID_CWD', 400);
    await expectError(vibes.client('a').createSession({ cwd: file }), 'INVALID_CWD', 400);
    const post = (body: string) =>
      vibes.raw('/api/sessions', { method: 'POST', headers: { 'x-vibes-client-id': 'a', 'content-type': 'application/json' }, body });
    await expectRawError(await post('{"name": '), 'INVALID_JSON', 400);
    await expectRawError(await post('{"name": 5}'), 'VALIDATION_FAILED', 400);
    await expectRawError(await post('{"prompt": ["x"]}'), 'VALIDATION_FAILED', 400);
    await expectRawError(await post('{"unknown": true}'), 'VALIDATION_FAILED', 400);
    await expectRawError(await post('[]'), 'VALIDATION_FAILED', 400);
    await expectRawError(
      await vibes.raw('/api/sessions', { method: 'POST', headers: { 'x-vibes-client-id': 'bad id!' }, body: '{}' }),
      'VALIDATION_FAILED',
      400,
    );
    expect(await observableState()).toEqual(before);
  });
});

describe('transcript pages', () => {
  it('GET /api/sessions/:id/events pages by seq', async () => {
    const alice = vibes.client('alice');
    const session = await alice.createSession({});
    for (const content of ['one', 'two', 'three']) await alice.sendInput(session.id, content);
    const all = await alice.events(session.id, { limit: 1000 });
    expect(all.last_seq).toBeGreaterThanOrEqual(3);
    expect(all.events.map((entry) => entry.seq)).toEqual(Array.from({ length: all.events.length }, (_, i) => i + 1));
    const page = await alice.events(session.id, { after: 1, limit: 2 });
    expect(page.events.map((entry) => entry.seq)).toEqual([2, 3]);
  });

  it('rejects a bad page query with VALIDATION_FAILED', async () => {
    const session = await vibes.client('alice').createSession({});
    await expectRawError(await vibes.raw(`/api/sessions/${session.id}/events?after=-1`), 'VALIDATION_FAILED', 400);
    await expectRawError(await vibes.raw(`/api/sessions/${session.id}/events?limit=abc`), 'VALIDATION_FAILED', 400);
  });
});

describe('subscribe, input, interrupt, kill', () => {
  it('subscribe makes a second client a viewer; unsubscribe lets it go', async () => {
    const session = await vibes.client('alice').createSession({});
    const bob = vibes.client('bob');
    expect(await bob.subscribe(session.id)).toMatchObject({ subscriber_count: 2, is_owner: false, owner_id: 'alice' });
    expect(await bob.unsubscribe(session.id)).toMatchObject({ was_owner: false, session: { subscriber_count: 1 } });
    await expectError(bob.subscribe('nope'), 'NOT_FOUND', 404);
    await expectError(vibes.client().subscribe(session.id), 'MISSING_CLIENT_ID', 400);
  });

  it('input and kill from a client that is not subscribed are 403 NOT_SUBSCRIBED and change nothing', async () => {
    const session = await vibes.client('alice').createSession({});
    const before = await observableState();
    await expectError(vibes.client('mallory').sendInput(session.id, 'rm -rf'), 'NOT_SUBSCRIBED', 403);
    await expectError(vibes.client('mallory').kill(session.id), 'NOT_SUBSCRIBED', 403);
    await expectError(vibes.client('mallory').interrupt(session.id), 'NOT_SUBSCRIBED', 403);
    await expectError(vibes.client('mallory').answerPermission(session.id, 'r1', { behavior: 'allow' }), 'NOT_SUBSCRIBED', 403);
    expect(await observableState()).toEqual(before);
  });

  it('input bodies are validated', async () => {
    const session = await vibes.client('alice').createSession({});
    const before = await observableState();
    const post = (body: string) =>
      vibes.raw(`/api/sessions/${session.id}/input`, { method: 'POST', headers: { 'x-vibes-client-id': 'alice' }, body });
    await expectRawError(await post('not json'), 'INVALID_JSON', 400);
    await expectRawError(await post('{}'), 'VALIDATION_FAILED', 400);
    await expectRawError(await post('{"content": 42}'), 'VALIDATION_FAILED', 400);
    await expectRawError(await post('{"content": ""}'), 'VALIDATION_FAILED', 400);
    await expectRawError(await post('{"content": "x", "source": "telnet"}'), 'VALIDATION_FAILED', 400);
    await expectError(vibes.client('alice').sendInput('nope', 'x'), 'NOT_FOUND', 404);
    expect(await observableState()).toEqual(before);
  });

  it('interrupt between turns is accepted and changes nothing', async () => {
    const session = await vibes.client('alice').createSession({});
    expect(await vibes.client('alice').interrupt(session.id)).toMatchObject({ state: 'idle' });
  });

  it('kill answers after the session is gone and every client was told', async () => {
    const watcher = await vibes.stream();
    const session = await vibes.client('alice').createSession({});
    expect(await vibes.client('alice').kill(session.id)).toEqual({ session_id: session.id, reason: 'killed' });
    expect((await vibes.client('alice').listSessions()).map((s) => s.id)).not.toContain(session.id);
    expect(await vibes.client('alice').getSession(session.id)).toMatchObject({
      id: session.id,
      state: 'finished',
      end_reason: 'killed',
      ended_at: expect.any(Number),
    });
    await watcher.waitForEvent('session_removed', (event) => event.session_id === session.id && event.reason === 'killed');
    await expectError(vibes.client('alice').kill(session.id), 'INVALID_STATE', 409);
  });

  it('a permission answered from a signed-in browser names the browser: who asks reaches the handler Next runs', async () => {
    const cookie = await deviceCookie(vibes.url, vibes.token, 'answering phone');
    const stream = await vibes.stream({ clientId: 'alice' });
    const session = await vibes.client('alice').createSession({ prompt: 'bash' });
    const update = await stream.waitForEvent(
      'session_updated',
      (event) => event.session.id === session.id && event.session.pending_permissions.length > 0,
    );
    const requestId = update.session.pending_permissions[0]!.request_id;
    const answered = await vibes.raw(`/api/sessions/${session.id}/permissions/${requestId}`, {
      method: 'POST',
      anonymous: true,
      headers: { cookie, 'x-vibes-client-id': 'alice', 'content-type': 'application/json' },
      body: JSON.stringify({ behavior: 'deny', message: 'not from here' }),
    });
    expect(answered.status, await answered.clone().text()).toBe(200);
    // Streamed once committed: the transcript read below has it then (the answer may come first).
    await stream.waitForEvent('session_event', (event) => event.session_id === session.id && event.event.type === 'permission_resolved');
    const { events } = await vibes.client('alice').events(session.id, { limit: 1000 });
    expect(events.map((entry) => entry.event).find((event) => event.type === 'permission_resolved')).toMatchObject({
      request_id: requestId,
      behavior: 'deny',
      client_id: 'alice',
      device: 'answering phone',
    });
    stream.close();
  });

  it('answering an unknown permission request is 404 NOT_FOUND', async () => {
    const session = await vibes.client('alice').createSession({});
    await expectError(vibes.client('alice').answerPermission(session.id, 'no-such-request', { behavior: 'allow' }), 'NOT_FOUND', 404);
    const bad = await vibes.raw(`/api/sessions/${session.id}/permissions/r1`, {
      method: 'POST',
      headers: { 'x-vibes-client-id': 'alice' },
      body: '{"behavior":"sure"}',
    });
    await expectRawError(bad, 'VALIDATION_FAILED', 400);
  });
});

describe('GET /api/events', () => {
  it('starts with hello, then the session list personalised for the client', async () => {
    const created = await vibes.client('carol').createSession({ name: 'mine' });
    const stream = await vibes.stream({ clientId: 'carol' });
    expect(stream.frames[0]?.event).toMatchObject({ type: 'hello', client_id: 'carol' });
    const list = await stream.waitForEvent('session_list');
    expect(list.sessions.find((session) => session.id === created.id)).toMatchObject({ is_owner: true });
    expect(stream.frames.every((frame) => frame.id !== undefined)).toBe(true);
  });

  it('gives a fresh client id when none is asked for, and refuses a malformed one', async () => {
    const stream = await vibes.stream();
    expect(stream.clientId).toMatch(/^[0-9a-f-]{36}$/);
    const refused = await vibes.raw('/api/events?client_id=no%20spaces');
    await expectRawError(refused, 'VALIDATION_FAILED', 400);
    await expectRawError(await vibes.raw('/api/events', { method: 'POST' }), 'METHOD_NOT_ALLOWED', 405);
  });

  it('sends session_event only to subscribers, and updates to everyone', async () => {
    const owner = await vibes.stream();
    const outsider = await vibes.stream();
    const session = await vibes.client(owner.clientId).createSession({ prompt: 'hello' });
    await owner.waitForEvent('session_event', (event) => event.session_id === session.id);
    await outsider.waitForEvent('session_updated', (event) => event.session.id === session.id);
    expect(outsider.events('session_event').filter((event) => event.session_id === session.id)).toEqual([]);
    const update = outsider.events('session_updated').find((event) => event.session.id === session.id);
    expect(update?.session.is_owner).toBe(false);
    expect(owner.events('session_updated').find((event) => event.session.id === session.id)?.session.is_owner).toBe(true);
  });
});
