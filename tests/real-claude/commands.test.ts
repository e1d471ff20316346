import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { ofType, REAL_CLAUDE_TIMEOUT_MS, useRealClaude } from '../support/real-claude.ts';
import { latestUserText, replyWith, text } from '../support/scripted-model.ts';

const vibes = useRealClaude();

describe.concurrent('slash commands and context with the real Claude Code', () => {
  it('lists a command of the project’s .claude/commands, and runs it from the prompt as the terminal would', async ({ expect }) => {
    const marker = vibes.marker('command');
    const cwd = vibes.workDir();
    mkdirSync(join(cwd, '.claude', 'commands'), { recursive: true });
    writeFileSync(
      join(cwd, '.claude', 'commands', 'hello.md'),
      `---\ndescription: Greets someone\nargument-hint: <name>\n---\nSay hello to $ARGUMENTS ${marker}\n`,
    );
    const chat = vibes.model.script(marker, [replyWith({}, text('Hello, world!'))]);
    const session = await vibes.client().createSession({ cwd });
    const commands = await vibes.client().listCommands(session.id);
    expect(commands).toContainEqual({ name: 'hello', description: 'Greets someone (project)', argument_hint: '<name>' });
    // Claude Code's own commands come with it, with their hints.
    expect(commands).toContainEqual(expect.objectContaining({ name: 'compact', argument_hint: expect.stringContaining('summarization') }));

    await vibes.client().sendInput(session.id, '/hello world');
    const [turn] = await vibes.waitForTurns(session.id);
    expect(turn).toMatchObject({ is_error: false, result: 'Hello, world!' });
    // Claude Code expanded the command: the model was given its text with the argument.
    expect(latestUserText(chat.requests[0]!)).toContain(`Say hello to world ${marker}`);
    expect(ofType(vibes.events(session.id), 'user_input')[0]).toMatchObject({ content: '/hello world' });
  });

  it('shows how full the context is from the usage the model reported, with no extra model call', async ({ expect }) => {
    const marker = vibes.marker('context');
    const usage = { input_tokens: 1_000, cache_creation_input_tokens: 2_000, cache_read_input_tokens: 40_000, output_tokens: 300 };
    const chat = vibes.model.script(marker, [replyWith({ usage }, text('Noted.'))]);
    const session = await vibes.start(`Remember this ${marker}`, vibes.workDir());
    await vibes.waitForTurns(session.id);
    const context = await vibes.stream.waitFor(
      () => vibes.latest(session.id)?.context ?? undefined,
      'the context figure',
      REAL_CLAUDE_TIMEOUT_MS,
    );
    // What the model was given for its answer: fresh input, cache writes and cache reads.
    expect(context.used_tokens).toBe(usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens);
    expect(context.percentage).toBe(Math.round((context.used_tokens / context.max_tokens) * 100));
    expect(context.compact_at_percentage).toBeGreaterThan(context.percentage);
    expect(context.compact_at_percentage).toBeLessThanOrEqual(100);
    // One model call for the one turn: the figure cost no token count and no model call.
    expect(chat.requests.map((request) => request.path)).toEqual(['/v1/messages?beta=true']);
    expect(vibes.model.requests.filter((request) => request.path.includes('count_tokens'))).toEqual([]);

    // Resumed (a new Claude process), the same figure comes back before any new turn, still with no model call.
    await vibes.client().kill(session.id);
    await vibes.client().resume(session.id);
    const resumed = await vibes.client().getSession(session.id);
    expect(resumed.ended_at).toBeNull();
    await expect
      .poll(async () => (await vibes.client().getSession(session.id)).context, { timeout: REAL_CLAUDE_TIMEOUT_MS })
      .toEqual(context);
    expect(chat.requests).toHaveLength(1);
  });
});
