import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { TestEventStream } from '../support/event-stream.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

// A server whose real Claude cannot start: only a demo session can answer on it.
const home = mkdtempSync(join(tmpdir(), 'vibes-demo-'));
const token = randomBytes(32).toString('base64url');
const env = { VIBES_TOKEN: token, VIBES_DEMO: '0', VIBES_CLAUDE_PATH: join(home, 'no-claude-here') };
const servers: ServerProcess[] = [];
const streams: TestEventStream[] = [];

afterAll(async () => {
  for (const stream of streams) stream.close();
  await Promise.all(servers.map((server) => server.stop({ keepHome: true })));
  rmSync(home, { recursive: true, force: true });
});

async function start(): Promise<{ server: ServerProcess; stream: TestEventStream; api: ApiClient }> {
  const server = await startServerProcess({ home, env });
  servers.push(server);
  const stream = await TestEventStream.open(server.url, { headers: { Authorization: `Bearer ${token}` } });
  streams.push(stream);
  return { server, stream, api: new ApiClient({ baseUrl: server.url, token, clientId: stream.clientId }) };
}

describe('demo is a per-session choice', () => {
  let demoId = '';

  it('one server runs a demo session with the fake Claude and any other with the real one', async () => {
    const { stream, api } = await start();
    const demo = await api.createSession({ prompt: 'hello', demo: true, cwd: tmpdir() });
    expect(demo.demo).toBe(true);
    demoId = demo.id;
    await stream.waitForEvent('session_event', (event) => event.session_id === demo.id && event.event.type === 'turn_complete');

    const real = await api.createSession({ prompt: 'hello', cwd: tmpdir() });
    expect(real.demo).toBe(false);
    await stream.waitForEvent('session_updated', (event) => event.session.id === real.id && event.session.state === 'failed');
    expect((await api.listSessions()).map((session) => [session.id, session.demo])).toEqual(
      expect.arrayContaining([
        [demo.id, true],
        [real.id, false],
      ]),
    );
  });

  it('a demo session is still one after a restart, in the history and when resumed', async () => {
    expect(await servers.at(-1)!.stop({ keepHome: true })).toBe(0);
    const { stream, api } = await start();
    const [ended] = (await api.history({ limit: 10 })).filter((session) => session.id === demoId);
    expect(ended).toMatchObject({ demo: true, end_reason: 'server_stopped' });
    expect(await api.resume(demoId)).toMatchObject({ demo: true, ended_at: null });
    await api.sendInput(demoId, 'hello again');
    await stream.waitForEvent('session_event', (event) => event.session_id === demoId && event.event.type === 'turn_complete');
  });

  it('a demo that is not a boolean is refused and creates nothing', async () => {
    const server = servers.at(-1)!;
    const response = await fetch(`${server.url}/api/sessions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Vibes-Client-Id': 'someone' },
      body: JSON.stringify({ demo: 'yes' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});
