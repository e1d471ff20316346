import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useServer } from '../support/api-harness.ts';

// The fake Claude lists the folder's .claude/commands and says how full its context is
// (lib/fake-claude/context.mjs): 12k to start, 3k more per turn, in a 200k window that compacts at 83.5%.
const vibes = useServer();
const folders: string[] = [];

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function projectWithCommand(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'vibes-commands-'));
  folders.push(cwd);
  mkdirSync(join(cwd, '.claude', 'commands'), { recursive: true });
  writeFileSync(
    join(cwd, '.claude', 'commands', 'hello.md'),
    '---\ndescription: Greets someone\nargument-hint: <name>\n---\nSay hello to $ARGUMENTS\n',
  );
  return cwd;
}

describe('slash commands and context', () => {
  it('lists the session’s commands, its folder’s own with their description and argument hint', async () => {
    const alice = vibes.client('alice');
    const session = await alice.createSession({ cwd: projectWithCommand() });
    const commands = await alice.listCommands(session.id);
    expect(commands[0]).toEqual({ name: 'hello', description: 'Greets someone (project)', argument_hint: '<name>' });
    expect(commands).toContainEqual(
      expect.objectContaining({ name: 'compact', argument_hint: '<optional custom summarization instructions>' }),
    );
    // Any client may read it, as with the models.
    expect(await vibes.client('bob').listCommands(session.id)).toEqual(commands);
  });

  it('an ended session answers INVALID_STATE, an unknown one NOT_FOUND', async () => {
    const alice = vibes.client('alice');
    const session = await alice.createSession({ cwd: projectWithCommand() });
    await alice.kill(session.id);
    await expect(alice.listCommands(session.id)).rejects.toMatchObject({ status: 409, code: 'INVALID_STATE' });
    await expect(alice.listCommands('no-such-session')).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('says how full the context is after each turn, and what compaction did', async () => {
    const alice = vibes.client('alice');
    const session = await alice.createSession({ cwd: projectWithCommand(), prompt: 'hello' });
    expect(session.context).toBeNull();
    await expect
      .poll(async () => (await alice.getSession(session.id)).context)
      .toEqual({
        used_tokens: 15_000,
        max_tokens: 200_000,
        percentage: 8,
        compact_at_percentage: 83.5,
      });
    await alice.sendInput(session.id, 'again');
    await expect.poll(async () => (await alice.getSession(session.id)).context?.used_tokens).toBe(18_000);

    await alice.sendInput(session.id, '/compact');
    await expect.poll(async () => (await alice.getSession(session.id)).context?.used_tokens).toBe(16_000);
    const { events } = await alice.events(session.id);
    expect(events.map((entry) => entry.event)).toContainEqual(
      expect.objectContaining({
        type: 'system',
        subtype: 'compact_boundary',
        pre_tokens: 18_000,
        post_tokens: 16_000,
        text: 'Conversation compacted on request: 18k → 16k tokens',
      }),
    );
  });

  it('lists the context in the session list, and keeps none for an ended session', async () => {
    const alice = vibes.client('alice');
    const session = await alice.createSession({ cwd: projectWithCommand(), prompt: 'near-limit' });
    await expect.poll(async () => (await alice.listSessions()).find((listed) => listed.id === session.id)?.context?.percentage).toBe(75);
    await alice.kill(session.id);
    expect((await alice.getSession(session.id)).context).toBeNull();
    // Resumed, Claude says again at once, before any new turn.
    await alice.resume(session.id);
    await expect.poll(async () => (await alice.getSession(session.id)).context).not.toBeNull();
    expect((await alice.events(session.id)).events.filter((entry) => entry.event.type === 'turn_complete')).toHaveLength(1);
  });
});
