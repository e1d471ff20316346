import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import type { TranscriptEvent } from '../../lib/protocol/index.ts';
import { ofType, startRealClaudeServer, TESTER, useRealClaude } from '../support/real-claude.ts';
import { reply, requestText, latestUserText, text, toolUse } from '../support/scripted-model.ts';

const vibes = useRealClaude();

/** Pids of the live processes whose working directory is `dir`: Claude and whatever it started there. */
function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/cwd`) === dir) pids.push(Number(name));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.concurrent('lifecycle with the real Claude Code', () => {
  it('kill ends Claude and the command it was running, leaving no process', async ({ expect }) => {
    const marker = vibes.marker('kill');
    const cwd = vibes.workDir();
    // Claude Code refuses a standalone `sleep`; this one also asks for approval.
    vibes.model.script(marker, [
      reply(toolUse('Bash', { command: 'touch started.txt && sleep 120', description: 'Wait a long time' })),
      reply(text('Slept.')),
    ]);
    const session = await vibes.start(`Wait ${marker}`, cwd);
    const request = await vibes.waitForPermission(session.id, 'Bash');
    await vibes.allow(session.id, request.request_id);
    // Claude, its shell and the sleep all run in the work dir.
    const running = await until(() => {
      const pids = processesIn(cwd);
      return pids.length >= 2 && pids;
    }, 'the command to run');
    expect(running.length).toBeGreaterThanOrEqual(2);

    await vibes.client().kill(session.id);
    await until(() => processesIn(cwd).length === 0, `the processes in ${cwd} to end`, 15_000);
    await vibes.stream.waitFor(
      (stream) => stream.events('session_removed').find((event) => event.session_id === session.id && event.reason === 'killed'),
      'the session to be removed as killed',
    );
  });

  it('resumes Claude’s own session after the server restarts', async ({ expect }) => {
    const marker = vibes.marker('resume');
    const home = mkdtempSync(join(tmpdir(), 'vibes-real-home-'));
    const claudeHome = mkdtempSync(join(tmpdir(), 'vibes-real-claude-home-'));
    const cwd = vibes.workDir();
    const chat = vibes.model.script(marker, [reply(text('The secret word is pelican.')), reply(text('You asked about pelican.'))]);
    try {
      const first = await startRealClaudeServer(vibes.model, { home, claudeHome });
      let sessionId: string;
      let claudeSessionId: string | null;
      try {
        const client = new ApiClient({ baseUrl: first.server.url, token: first.server.token(), clientId: TESTER });
        const session = await client.createSession({ prompt: `Remember a word ${marker}`, cwd });
        sessionId = session.id;
        const done = await until(async () => {
          const current = await client.getSession(session.id);
          return current.state === 'idle' && current.cost_usd > 0 && current;
        }, 'the first turn');
        claudeSessionId = done.claude_session_id;
        expect(claudeSessionId).toMatch(/^[0-9a-f-]{36}$/);
      } finally {
        await first.server.stop({ keepHome: true });
      }

      const second = await startRealClaudeServer(vibes.model, { home, claudeHome });
      try {
        const client = new ApiClient({ baseUrl: second.server.url, token: second.server.token(), clientId: TESTER });
        expect((await client.history()).find((stored) => stored.id === sessionId)).toMatchObject({ end_reason: 'server_stopped' });
        const resumed = await client.resume(sessionId);
        expect(resumed).toMatchObject({ id: sessionId, is_owner: true });
        await client.sendInput(sessionId, 'What was the word?');
        const events = await until(async () => {
          const page = await client.events(sessionId, { limit: 1000 });
          const all: TranscriptEvent[] = page.events.map((entry) => entry.event);
          return ofType(all, 'turn_complete').length >= 2 && all;
        }, 'the turn after resuming');
        expect(ofType(events, 'turn_complete').at(-1)).toMatchObject({ is_error: false, result: 'You asked about pelican.' });
        expect((await client.getSession(sessionId)).claude_session_id).toBe(claudeSessionId);
        await client.kill(sessionId);
      } finally {
        await second.server.stop();
      }
      // The new process read Claude's own transcript: the model got the whole conversation back.
      expect(chat.requests).toHaveLength(2);
      expect(latestUserText(chat.requests[1]!)).toContain('What was the word?');
      expect(requestText(chat.requests[1]!)).toContain('The secret word is pelican.');
    } finally {
      rmSync(home, { recursive: true, force: true });
      rmSync(claudeHome, { recursive: true, force: true });
    }
  });
});
