import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { ofType, useRealClaude } from '../support/real-claude.ts';
import { reply, text, toolResults, toolUse } from '../support/scripted-model.ts';

const vibes = useRealClaude();

describe.concurrent('Bash with the real Claude Code', () => {
  it('runs a command that needs approval only once it is allowed, in the work dir', async ({ expect }) => {
    const marker = vibes.marker('bash-allow');
    const cwd = vibes.workDir();
    const call = toolUse('Bash', { command: 'touch made-by-claude.txt', description: 'Create a file' });
    const chat = vibes.model.script(marker, [reply(call), reply(text('The file is there.'))]);

    const session = await vibes.start(`Create a file ${marker}`, cwd);
    const request = await vibes.waitForPermission(session.id, 'Bash');
    expect(request.input).toMatchObject({ command: 'touch made-by-claude.txt' });
    expect(request.tool_use_id).toBe(call.type === 'tool_use' ? call.id : '');
    await vibes.waitForState(session.id, 'waiting_permission');
    expect(existsSync(join(cwd, 'made-by-claude.txt'))).toBe(false);

    await vibes.allow(session.id, request.request_id);
    await vibes.waitForTurns(session.id);
    await vibes.waitForState(session.id, 'idle');

    expect(existsSync(join(cwd, 'made-by-claude.txt'))).toBe(true);
    const events = vibes.events(session.id);
    expect(ofType(events, 'permission_resolved')).toMatchObject([{ request_id: request.request_id, behavior: 'allow', client_id: 'real-claude-tester' }]);
    expect(ofType(events, 'tool_result')).toMatchObject([{ tool_use_id: request.tool_use_id, is_error: false }]);
    expect(ofType(events, 'text').map((event) => event.text)).toEqual(['The file is there.']);
    expect(vibes.states(session.id)).toEqual(expect.arrayContaining(['processing', 'waiting_permission', 'idle']));
    // The model was told the command ran.
    expect(chat.requests).toHaveLength(2);
    expect(toolResults(chat.requests[1]!)).toMatchObject([{ tool_use_id: request.tool_use_id, is_error: false }]);
  });

  it('runs nothing when denied, and the model receives the deny message', async ({ expect }) => {
    const marker = vibes.marker('bash-deny');
    const cwd = vibes.workDir();
    const chat = vibes.model.script(marker, [reply(toolUse('Bash', { command: 'touch never.txt' })), reply(text('Understood, I will not.'))]);

    const session = await vibes.start(`Try to create a file ${marker}`, cwd);
    const request = await vibes.waitForPermission(session.id, 'Bash');
    await vibes.deny(session.id, request.request_id, 'Not in this folder, please.');
    await vibes.waitForTurns(session.id);
    await vibes.waitForState(session.id, 'idle');

    expect(existsSync(join(cwd, 'never.txt'))).toBe(false);
    const events = vibes.events(session.id);
    expect(ofType(events, 'permission_resolved')).toMatchObject([{ behavior: 'deny', message: 'Not in this folder, please.' }]);
    expect(ofType(events, 'tool_result')).toMatchObject([{ tool_use_id: request.tool_use_id, is_error: true }]);
    const [told] = toolResults(chat.requests[1]!);
    expect(told).toMatchObject({ tool_use_id: request.tool_use_id, is_error: true });
    expect(told?.text).toContain('Not in this folder, please.');
  });
});
