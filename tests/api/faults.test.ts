import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useServer } from '../support/api-harness.ts';
import { childPids, commandLine, isAlive } from '../support/processes.ts';
import { startServerProcess } from '../support/server-process.ts';
import { TestEventStream } from '../support/event-stream.ts';
import { ApiClient } from '../../lib/client/node/api-client.ts';

const vibes = useServer();

/**
 * The Claude process a session started: the server's new child that runs the fake Claude (a new
 * session also runs git, to note where its work starts: killing that instead lets the turn finish).
 */
async function newClaudePid(before: Set<number>, serverPid: number): Promise<number> {
  let pid: number | undefined;
  const isClaude = (candidate: number) => !before.has(candidate) && commandLine(candidate).includes('fake-claude');
  await expect.poll(() => (pid = childPids(serverPid).find(isClaude)), { message: 'a Claude process' }).toBeDefined();
  return pid!;
}

describe('faults', () => {
  it('Claude killed with SIGKILL mid-turn: the session fails with a message, never stuck in processing', async () => {
    const stream = await vibes.stream();
    const before = new Set(childPids(vibes.server.pid));
    const session = await vibes.client(stream.clientId).createSession({ prompt: 'stream 200 chunks every 20ms' });
    const claudePid = await newClaudePid(before, vibes.server.pid);
    await stream.waitForEvent('session_event', (event) => event.session_id === session.id && event.event.type === 'text_delta');
    process.kill(claudePid, 'SIGKILL');
    const failed = await stream.waitForEvent(
      'session_updated',
      (event) => event.session.id === session.id && event.session.state === 'failed',
    );
    expect(failed.session.failure).toMatch(/SIGKILL|signal|exited/i);
    expect(failed.session.pending_permissions).toEqual([]);
    const error = stream.events('session_event').find((event) => event.session_id === session.id && event.event.type === 'error');
    expect(error?.event).toMatchObject({ type: 'error', message: failed.session.failure });
    await expect(vibes.client(stream.clientId).sendInput(session.id, 'more')).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('a Claude that hangs is still interruptible and killable, and kill ends its process', async () => {
    const stream = await vibes.stream();
    const api = vibes.client(stream.clientId);
    const before = new Set(childPids(vibes.server.pid));
    const session = await api.createSession({ prompt: 'hang' });
    const claudePid = await newClaudePid(before, vibes.server.pid);
    await api.interrupt(session.id);
    await stream.waitForEvent('session_updated', (event) => event.session.id === session.id && event.session.state === 'idle');
    await api.sendInput(session.id, 'hang again');
    await stream.waitForEvent('session_updated', (event) => event.session.id === session.id && event.session.state === 'processing');
    await api.kill(session.id);
    expect(isAlive(claudePid)).toBe(false);
  });

  it('a Claude that ignores SIGTERM is killed anyway, and kill still answers', async () => {
    const stream = await vibes.stream();
    const api = vibes.client(stream.clientId);
    const before = new Set(childPids(vibes.server.pid));
    const session = await api.createSession({ prompt: 'stubborn hang' });
    const claudePid = await newClaudePid(before, vibes.server.pid);
    await stream.waitForEvent('session_updated', (event) => event.session.id === session.id && event.session.state === 'processing');
    await api.kill(session.id);
    expect(isAlive(claudePid)).toBe(false);
    await stream.waitForEvent('session_removed', (event) => event.session_id === session.id && event.reason === 'killed');
  });
});

// Each case starts a server or two of its own: on a loaded machine one start alone can take most of 30 s.
describe('the server receiving SIGTERM during a turn', { timeout: 90_000 }, () => {
  it('ends every Claude process, tells the clients, stores everything and exits 0', async () => {
    const server = await startServerProcess();
    let restarted: Awaited<ReturnType<typeof startServerProcess>> | undefined;
    try {
      const token = server.token();
      const stream = await TestEventStream.open(server.url, { headers: { Authorization: `Bearer ${token}` } });
      const api = new ApiClient({ baseUrl: server.url, token, clientId: stream.clientId });
      const busy = await api.createSession({ prompt: 'stream 500 chunks every 20ms' });
      const stubborn = await api.createSession({ prompt: 'stubborn hang' });
      await stream.waitForEvent('session_event', (event) => event.session_id === busy.id && event.event.type === 'text_delta');
      const claudePids = childPids(server.pid);
      expect(claudePids.length).toBeGreaterThanOrEqual(2);
      const code = await server.stop({ signal: 'SIGTERM', keepHome: true });
      expect(code).toBe(0);
      for (const pid of claudePids) expect(isAlive(pid)).toBe(false);
      await stream.waitForEnd();
      const finished = stream.events('session_updated').filter((event) => event.session.state === 'finished');
      expect(new Set(finished.map((event) => event.session.id))).toEqual(new Set([busy.id, stubborn.id]));
      expect(server.output()).toMatch(/SIGTERM, ending sessions and shutting down/);

      restarted = await startServerProcess({ home: server.home, env: { VIBES_TOKEN: token } });
      const reader = new ApiClient({ baseUrl: restarted.url, token, clientId: 'reader' });
      const received = stream.events('session_event').filter((event) => event.session_id === busy.id);
      const stored = await reader.events(busy.id, { limit: 1000 });
      expect(stored.events.slice(0, received.length).map((entry) => entry.seq)).toEqual(received.map((event) => event.seq));
      expect(stored.events.slice(0, received.length).map((entry) => entry.event)).toEqual(received.map((event) => event.event));
      for (const id of [busy.id, stubborn.id]) {
        expect(await reader.getSession(id)).toMatchObject({ state: 'finished', end_reason: 'server_stopped' });
      }
    } finally {
      await restarted?.stop({ signal: 'SIGKILL' });
      await server.stop({ signal: 'SIGKILL' });
      rmSync(server.home, { recursive: true, force: true });
    }
  });

  it('still ends its sessions and exits 0 when the terminal it printed to is gone', async () => {
    const server = await startServerProcess();
    try {
      const token = server.token();
      const api = new ApiClient({ baseUrl: server.url, token, clientId: 'orphan' });
      await api.createSession({ prompt: 'stream 500 chunks every 20ms' });
      // The page loads Next, whose logger of uncaught errors turned failed writes into a loop.
      const page = await fetch(`${server.url}/`, { headers: { Authorization: `Bearer ${token}` } });
      expect(page.status).toBe(200);
      server.child.stdout!.destroy();
      server.child.stderr!.destroy();
      const claudePids = childPids(server.pid);
      expect(await server.stop({ signal: 'SIGTERM' })).toBe(0);
      for (const pid of claudePids) expect(isAlive(pid)).toBe(false);
    } finally {
      await server.stop({ signal: 'SIGKILL' });
    }
  });
});
