import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../../../lib/protocol/index.ts';
import { coreHarness } from '../../../support/core-harness.ts';
import { tempRepo } from '../../../support/git-repo.ts';

const origin = { clientId: 'owner', source: 'cli' as const };

async function sessionInRepo() {
  const cwd = tempRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
  const harness = coreHarness({ trackWork: true });
  const session = await harness.manager.create({ ownerId: 'owner', cwd });
  const agent = harness.agents.last();
  const events = () => harness.transcript(session.id).map((entry) => entry.event);
  return { cwd, session, agent, events };
}

const completes = (events: TranscriptEvent[]) => events.filter((event) => event.type === 'turn_complete');

describe('a turn’s changes, with git', () => {
  it('the turn ends once git has looked: its edit tool’s file as tool, a shell’s as other; what Claude said meanwhile follows in order', async () => {
    const { cwd, session, agent, events } = await sessionInRepo();
    session.sendInput('change things', origin);
    // The first look (before Claude touches anything) is taken when the turn begins.
    await expect.poll(() => session.snapshot().changes).toEqual({ files: 0, additions: 0, deletions: 0 });
    agent.emit({
      type: 'tool_use',
      tool_use_id: 't1',
      name: 'Edit',
      input: { file_path: join(cwd, 'a.txt'), old_string: 'a', new_string: 'A' },
    });
    writeFileSync(join(cwd, 'a.txt'), 'A\n');
    agent.emit({ type: 'tool_result', tool_use_id: 't1', content: 'ok', is_error: false });
    agent.emit({ type: 'tool_use', tool_use_id: 't2', name: 'Bash', input: { command: 'echo B > b.txt' } });
    writeFileSync(join(cwd, 'b.txt'), 'B\n');
    agent.emit({ type: 'tool_result', tool_use_id: 't2', content: '', is_error: false });
    agent.completeTurn();
    agent.emit({ type: 'text', message_id: 'late', text: 'after the turn' });
    expect(session.state).toBe('processing');
    expect(completes(events())).toEqual([]);

    await expect.poll(() => session.state).toBe('idle');
    const after = events();
    expect(completes(after)).toMatchObject([
      {
        changed_files: [
          { path: 'a.txt', source: 'tool' },
          { path: 'b.txt', source: 'other' },
        ],
      },
    ]);
    expect(after.at(-1)).toMatchObject({ type: 'text', text: 'after the turn' });
    expect((await session.work?.changes('start'))?.files.map((file) => [file.path, file.by_session])).toEqual([
      ['a.txt', true],
      ['b.txt', false],
    ]);
  });

  it('a session ended while its turn’s end waits for git records no turn after its end', async () => {
    const { session, agent, events } = await sessionInRepo();
    session.sendInput('run something', origin);
    agent.emit({ type: 'tool_use', tool_use_id: 't1', name: 'Bash', input: { command: 'true' } });
    agent.emit({ type: 'tool_result', tool_use_id: 't1', content: '', is_error: false });
    agent.completeTurn();
    await session.stop();
    expect(session.state).toBe('finished');
    // Counts run one at a time: two more, asked now, end after the turn's last look did.
    await session.work?.changes('head');
    await session.work?.changes('head');
    expect(completes(events())).toEqual([]);
  });
});
