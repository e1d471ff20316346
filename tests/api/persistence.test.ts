import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import type { TranscriptEntry } from '../../lib/protocol/index.ts';
import { TestEventStream } from '../support/event-stream.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { storeOf } from '../support/server-store.ts';

// One state folder and one token across every start of the server in this file.
const home = mkdtempSync(join(tmpdir(), 'vibes-persist-'));
const token = randomBytes(32).toString('base64url');
const servers: ServerProcess[] = [];
const streams: TestEventStream[] = [];

afterAll(async () => {
  for (const stream of streams) stream.close();
  await Promise.all(servers.map((server) => server.stop({ signal: 'SIGKILL', keepHome: true })));
  rmSync(home, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await startServerProcess({ home, env: { VIBES_TOKEN: token, ...env } });
  servers.push(server);
  return server;
}

const client = (server: ServerProcess, clientId: string) => new ApiClient({ baseUrl: server.url, token, clientId });

async function stream(server: ServerProcess): Promise<TestEventStream> {
  const opened = await TestEventStream.open(server.url, { headers: { Authorization: `Bearer ${token}` } });
  streams.push(opened);
  return opened;
}

async function wholeTranscript(api: ApiClient, sessionId: string): Promise<TranscriptEntry[]> {
  const all: TranscriptEntry[] = [];
  for (;;) {
    const page = await api.events(sessionId, { after: all.at(-1)?.seq ?? 0, limit: 1000 });
    all.push(...page.events);
    if (page.events.length === 0 || (all.at(-1)?.seq ?? 0) >= page.last_seq) return all;
  }
}

describe('persistence across a crash, a restart and a resume', () => {
  let sessionId = '';
  let claudeSessionId = '';
  let received: TranscriptEntry[] = [];

  it('SIGKILL while a session streams loses nothing a client had received', async () => {
    const first = await start();
    const watcher = await stream(first);
    const owner = client(first, watcher.clientId);
    const session = await owner.createSession({ name: 'crashy', prompt: 'stream 2000 chunks every 2ms' });
    sessionId = session.id;
    await watcher.waitFor((s) => s.events('session_event').filter((e) => e.session_id === sessionId).length >= 200, '200 events');
    const killed = first.stop({ signal: 'SIGKILL', keepHome: true });
    await killed;
    received = watcher
      .events('session_event')
      .filter((event) => event.session_id === sessionId)
      .map((event) => ({ seq: event.seq, at: event.at, event: event.event }));
    const init = received.find((entry) => entry.event.type === 'system');
    claudeSessionId = String((init?.event as { session_id?: unknown } | undefined)?.session_id);
    expect(claudeSessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(received.at(-1)?.event.type).toBe('text_delta');
    expect(await storeOf(first).integrity()).toBe('ok');

    const second = await start();
    expect(second.output()).toMatch(/1 session was cut off/);
    const api = client(second, 'reader');
    const stored = await wholeTranscript(api, sessionId);
    expect(stored.map((entry) => entry.seq)).toEqual(stored.map((_, index) => index + 1));
    expect(stored.slice(0, received.length)).toEqual(received);
  }, 90_000);

  it('after the restart the session is listed as ended by it, never as running', async () => {
    const server = servers.at(-1)!;
    const api = client(server, 'reader');
    expect((await api.listSessions()).map((session) => session.id)).not.toContain(sessionId);
    const [ended] = await api.history();
    expect(ended).toMatchObject({
      id: sessionId,
      name: 'crashy',
      state: 'finished',
      end_reason: 'server_restarted',
      claude_session_id: claudeSessionId,
    });
    expect(ended?.ended_at).toEqual(expect.any(Number));
    expect(await api.getSession(sessionId)).toMatchObject({ end_reason: 'server_restarted' });
    await expect(api.sendInput(sessionId, 'hello?')).rejects.toMatchObject({ code: 'INVALID_STATE', status: 409 });
    await expect(api.subscribe(sessionId)).rejects.toMatchObject({ code: 'INVALID_STATE', status: 409 });
  });

  it('resume starts Claude with --resume and its session id, continuing the same session and transcript', async () => {
    const server = servers.at(-1)!;
    const watcher = await stream(server);
    const before = (await client(server, 'reader').events(sessionId, { limit: 1 })).last_seq;
    const phone = client(server, watcher.clientId);
    const resumed = await phone.resume(sessionId);
    expect(resumed).toMatchObject({
      id: sessionId,
      name: 'crashy',
      owner_id: watcher.clientId,
      is_owner: true,
      ended_at: null,
      end_reason: null,
    });
    await watcher.waitForEvent('session_updated', (event) => event.session.id === sessionId && event.session.ended_at === null);
    expect((await phone.listSessions()).map((session) => session.id)).toContain(sessionId);
    await expect(phone.resume(sessionId)).rejects.toMatchObject({ code: 'INVALID_STATE', status: 409 });

    await phone.sendInput(sessionId, 'hello again');
    const done = await watcher.waitForEvent(
      'session_event',
      (event) => event.session_id === sessionId && event.event.type === 'turn_complete',
    );
    expect(done.seq).toBeGreaterThan(before);
    const after = await wholeTranscript(phone, sessionId);
    expect(after.map((entry) => entry.seq)).toEqual(after.map((_, index) => index + 1));
    const init = after.filter((entry) => entry.seq > before && entry.event.type === 'system');
    // The fake Claude reports the --resume id it was given as its session id.
    expect(init.map((entry) => (entry.event as { session_id?: unknown }).session_id)).toEqual([claudeSessionId]);
    expect(await phone.getSession(sessionId)).toMatchObject({ claude_session_id: claudeSessionId, state: 'idle' });
  });

  it('a clean stop ends the sessions as server_stopped and exits 0; retention then forgets old ones', async () => {
    const server = servers.at(-1)!;
    expect(await server.stop({ keepHome: true })).toBe(0);
    const third = await start();
    expect(await client(third, 'reader').getSession(sessionId)).toMatchObject({ state: 'finished', end_reason: 'server_stopped' });
    expect(await third.stop({ keepHome: true })).toBe(0);

    // Two days pass, as far as the store can tell (instead of waiting): a one-day retention forgets it.
    await storeOf(third).exec('UPDATE sessions SET ended_at = ended_at - 2 * 86400 WHERE ended_at IS NOT NULL');
    // What was attached to its prompts goes with it.
    const attached = join(home, 'attachments', sessionId);
    mkdirSync(attached, { recursive: true });
    writeFileSync(join(attached, 'f'.repeat(64)), 'bytes');
    const fourth = await start({ VIBES_RETENTION_DAYS: '1' });
    const api = client(fourth, 'reader');
    expect(await api.history()).toEqual([]);
    await expect(api.getSession(sessionId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(existsSync(attached)).toBe(false);
    expect(await storeOf(fourth).integrity()).toBe('ok');
  }, 90_000);
});
