import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../support/git-repo.ts';
import { ofType, useRealClaude } from '../support/real-claude.ts';
import { reply, text, toolUse } from '../support/scripted-model.ts';

const vibes = useRealClaude();

describe('the session’s work with the real Claude Code', () => {
  it('an Edit shows in Changes and in its turn’s changes, a Bash change as other; a dry run names the file, the rewind restores it byte for byte', async () => {
    const marker = vibes.marker('work');
    const cwd = vibes.workDir();
    const path = join(cwd, 'greeting.txt');
    const original = 'hello world\r\nsecond line without newline at the end';
    writeFileSync(path, original);
    writeFileSync(join(cwd, 'untouched.txt'), 'same\n');
    git(cwd, 'init', '-q');
    git(cwd, 'add', '-A');
    git(cwd, 'commit', '-qm', 'start');
    vibes.model.script(marker, [
      reply(toolUse('Read', { file_path: path })),
      reply(toolUse('Edit', { file_path: path, old_string: 'hello', new_string: 'goodbye' })),
      reply(toolUse('Bash', { command: 'echo made > by-bash.txt', description: 'Write a file from the shell' })),
      reply(text('Done.')),
    ]);

    const session = await vibes.start(`Change the greeting ${marker}`, cwd);
    const api = vibes.client();
    const edit = await vibes.waitForPermission(session.id, 'Edit');
    await vibes.allow(session.id, edit.request_id);
    const bash = await vibes.waitForPermission(session.id, 'Bash');
    await vibes.allow(session.id, bash.request_id);
    const [complete] = await vibes.waitForTurns(session.id);
    expect(readFileSync(path, 'utf8')).toBe(original.replace('hello', 'goodbye'));
    expect(existsSync(join(cwd, 'by-bash.txt'))).toBe(true);

    // What the turn changed, in one look: the edit by its tool, the shell's file as other.
    expect(complete?.changed_files).toEqual([
      { path: 'greeting.txt', source: 'tool' },
      { path: 'by-bash.txt', source: 'other' },
    ]);
    const input = ofType(vibes.events(session.id), 'user_input')[0];
    const seq = (await api.events(session.id, { limit: 1000 })).events.find((entry) => entry.event.type === 'user_input')?.seq ?? 0;
    const turn = await api.turnChanges(session.id, seq);
    expect(turn).toMatchObject({
      seq,
      git: true,
      files: [
        { path: 'by-bash.txt', source: 'other', diffs: [] },
        { path: 'greeting.txt', source: 'tool' },
      ],
    });
    expect(turn.files[1]?.diffs[0]).toMatchObject({ file_path: 'greeting.txt', added: 1, removed: 1 });

    // Changes against the session's start: both files, the edit marked as this session's.
    const changes = await api.changes(session.id);
    expect(changes.files.map(({ path: file, status, by_session }) => ({ file, status, by_session }))).toEqual([
      { file: 'by-bash.txt', status: 'untracked', by_session: false },
      { file: 'greeting.txt', status: 'modified', by_session: true },
    ]);
    expect((await api.fileDiff(session.id, 'greeting.txt')).patch).toContain('+goodbye world');

    // Undo: the dry run names the file and changes nothing; the rewind restores it.
    const dry = await api.rewind(session.id, { dry_run: true });
    expect(dry).toMatchObject({
      dry_run: true,
      can_rewind: true,
      to: input?.message_id,
      files_changed: ['greeting.txt'],
      not_restorable: ['by-bash.txt'],
      skipped_links: null,
      error: null,
    });
    expect(readFileSync(path, 'utf8')).toBe(original.replace('hello', 'goodbye'));
    const done = await api.rewind(session.id, { to: dry.to });
    expect(done).toMatchObject({ dry_run: false, can_rewind: true, files_changed: ['greeting.txt'], skipped_links: 0 });
    expect(readFileSync(path)).toEqual(Buffer.from(original));
    expect(ofType(vibes.events(session.id), 'system').filter((event) => event.subtype === 'rewind')).toMatchObject([
      {
        text: `Files rewound to before "Change the greeting ${marker}": 1 file restored (greeting.txt)`,
        to_message_id: dry.to,
        files: ['greeting.txt'],
      },
    ]);
  });

  it('after the session ends, rewind asks for a resume; once resumed, the checkpoints from before are there', async () => {
    const marker = vibes.marker('work-resume');
    const cwd = vibes.workDir();
    const path = join(cwd, 'notes.txt');
    writeFileSync(path, 'keep me\n');
    vibes.model.script(marker, [
      reply(toolUse('Read', { file_path: path })),
      reply(toolUse('Edit', { file_path: path, old_string: 'keep', new_string: 'lose' })),
      reply(text('Edited.')),
    ]);
    const session = await vibes.start(`Edit the notes ${marker}`, cwd);
    const api = vibes.client();
    const edit = await vibes.waitForPermission(session.id, 'Edit');
    await vibes.allow(session.id, edit.request_id);
    await vibes.waitForTurns(session.id);
    expect(readFileSync(path, 'utf8')).toBe('lose me\n');

    await api.kill(session.id);
    await expect(api.rewind(session.id, { dry_run: true })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await api.resume(session.id);
    await vibes.waitForState(session.id, 'idle');
    const dry = await api.rewind(session.id, { dry_run: true });
    expect(dry).toMatchObject({ can_rewind: true, files_changed: ['notes.txt'] });
    await api.rewind(session.id, { to: dry.to });
    expect(readFileSync(path, 'utf8')).toBe('keep me\n');
  });
});
