import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
    expect(ofType(events, 'permission_resolved')).toMatchObject([
      { request_id: request.request_id, behavior: 'allow', client_id: 'real-claude-tester' },
    ]);
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
    const chat = vibes.model.script(marker, [
      reply(toolUse('Bash', { command: 'touch never.txt' })),
      reply(text('Understood, I will not.')),
    ]);

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

/** A work dir holding `name` with `content`; Claude Code edits only files it has read. */
function workDirWith(name: string, content: string): { cwd: string; path: string } {
  const cwd = vibes.workDir();
  const path = join(cwd, name);
  writeFileSync(path, content);
  return { cwd, path };
}

describe.concurrent('Edit and Write with the real Claude Code', () => {
  it('edits a file once the edit is allowed', async ({ expect }) => {
    const marker = vibes.marker('edit-allow');
    const { cwd, path } = workDirWith('greeting.txt', 'hello world\n');
    const chat = vibes.model.script(marker, [
      reply(toolUse('Read', { file_path: path })),
      reply(toolUse('Edit', { file_path: path, old_string: 'hello', new_string: 'goodbye' })),
      reply(text('Edited.')),
    ]);
    const session = await vibes.start(`Edit the greeting ${marker}`, cwd);
    const request = await vibes.waitForPermission(session.id, 'Edit');
    expect(request.input).toMatchObject({ file_path: path, old_string: 'hello', new_string: 'goodbye' });
    // Reading needed no approval; the file is untouched while the edit waits.
    expect(ofType(vibes.events(session.id), 'permission_request').map((event) => event.tool_name)).toEqual(['Edit']);
    expect(readFileSync(path, 'utf8')).toBe('hello world\n');

    await vibes.allow(session.id, request.request_id);
    await vibes.waitForTurns(session.id);
    expect(readFileSync(path, 'utf8')).toBe('goodbye world\n');
    expect(ofType(vibes.events(session.id), 'tool_result').find((event) => event.tool_use_id === request.tool_use_id)).toMatchObject({
      is_error: false,
    });
    const [told] = toolResults(chat.requests[2]!);
    expect(told).toMatchObject({ tool_use_id: request.tool_use_id, is_error: false });
  });

  it('leaves the file as it was when the edit is denied', async ({ expect }) => {
    const marker = vibes.marker('edit-deny');
    const { cwd, path } = workDirWith('greeting.txt', 'hello world\n');
    const chat = vibes.model.script(marker, [
      reply(toolUse('Read', { file_path: path })),
      reply(toolUse('Edit', { file_path: path, old_string: 'hello', new_string: 'goodbye' })),
      reply(text('Left it alone.')),
    ]);
    const session = await vibes.start(`Edit the greeting ${marker}`, cwd);
    const request = await vibes.waitForPermission(session.id, 'Edit');
    await vibes.deny(session.id, request.request_id, 'Keep the greeting.');
    await vibes.waitForTurns(session.id);
    expect(readFileSync(path, 'utf8')).toBe('hello world\n');
    const [told] = toolResults(chat.requests[2]!);
    expect(told).toMatchObject({ tool_use_id: request.tool_use_id, is_error: true });
    expect(told?.text).toContain('Keep the greeting.');
  });

  it('writes a new file once allowed, and none when denied', async ({ expect }) => {
    const allowed = vibes.marker('write-allow');
    const denied = vibes.marker('write-deny');
    const cwd = vibes.workDir();
    const kept = join(cwd, 'notes.md');
    const refused = join(cwd, 'refused.md');
    vibes.model.script(allowed, [reply(toolUse('Write', { file_path: kept, content: '# Notes\n' })), reply(text('Written.'))]);
    const refusedChat = vibes.model.script(denied, [
      reply(toolUse('Write', { file_path: refused, content: 'no\n' })),
      reply(text('Not written.')),
    ]);
    const [first, second] = await Promise.all([vibes.start(`Write notes ${allowed}`, cwd), vibes.start(`Write more ${denied}`, cwd)]);
    const [allowRequest, denyRequest] = await Promise.all([
      vibes.waitForPermission(first.id, 'Write'),
      vibes.waitForPermission(second.id, 'Write'),
    ]);
    expect(allowRequest.input).toMatchObject({ file_path: kept, content: '# Notes\n' });
    expect(existsSync(kept)).toBe(false);

    await vibes.allow(first.id, allowRequest.request_id);
    await vibes.deny(second.id, denyRequest.request_id);
    await Promise.all([vibes.waitForTurns(first.id), vibes.waitForTurns(second.id)]);
    expect(readFileSync(kept, 'utf8')).toBe('# Notes\n');
    expect(existsSync(refused)).toBe(false);
    expect(toolResults(refusedChat.requests[1]!)).toMatchObject([{ tool_use_id: denyRequest.tool_use_id, is_error: true }]);
  });

  it('asks for two tool calls of one message separately, and tells the model both outcomes', async ({ expect }) => {
    const marker = vibes.marker('two-tools');
    const cwd = vibes.workDir();
    const bash = toolUse('Bash', { command: 'touch from-bash.txt', description: 'Create a file' });
    const write = toolUse('Write', { file_path: join(cwd, 'from-write.txt'), content: 'written\n' });
    const chat = vibes.model.script(marker, [reply(text('Two things.'), bash, write), reply(text('One of two.'))]);
    const session = await vibes.start(`Do two things ${marker}`, cwd);

    const bashRequest = await vibes.waitForPermission(session.id, 'Bash');
    await vibes.allow(session.id, bashRequest.request_id);
    const writeRequest = await vibes.waitForPermission(session.id, 'Write');
    await vibes.deny(session.id, writeRequest.request_id, 'Only the first.');
    await vibes.waitForTurns(session.id);

    expect(existsSync(join(cwd, 'from-bash.txt'))).toBe(true);
    expect(existsSync(join(cwd, 'from-write.txt'))).toBe(false);
    const events = vibes.events(session.id);
    expect(ofType(events, 'tool_use').map((event) => event.name)).toEqual(['Bash', 'Write']);
    // Both calls came in one assistant message.
    expect(chat.requests).toHaveLength(2);
    const told = toolResults(chat.requests[1]!);
    expect(told).toEqual([
      expect.objectContaining({ tool_use_id: bashRequest.tool_use_id, is_error: false }),
      expect.objectContaining({ tool_use_id: writeRequest.tool_use_id, is_error: true }),
    ]);
    expect(told[1]?.text).toContain('Only the first.');
  });
});
