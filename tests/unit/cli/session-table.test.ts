import { describe, expect, it } from 'vitest';
import { historyTable, sessionTable } from '../../../cli/lib/session-table.ts';
import { makeStyle } from '../../../cli/lib/style.ts';
import type { SessionInfo } from '../../../lib/protocol/index.ts';
import { sessionInfo } from '../../support/session-fixture.ts';

const now = Math.floor(Date.now() / 1000);
const session = (id: string, extra: Partial<SessionInfo> = {}): SessionInfo =>
  sessionInfo(id, { name: `session ${id}`, title: `session ${id}`, created_at: now, last_activity_at: now, ...extra });
const style = makeStyle(false);

describe('the session tables', () => {
  it('show no machine column on a single machine', () => {
    expect(sessionTable([session('aaaaaaaa1')], style)).toMatch(/^ {2}ID\s+TITLE\s+PROJECT\s+STATE\s+AGE\s+CONTEXT\s+OWNER\s+VIEWERS$/m);
    expect(historyTable([session('aaaaaaaa1', { ended_at: now, end_reason: 'killed' })], style)).not.toContain('MACHINE');
  });

  it('show how full each session’s context is, marked near the compaction point', () => {
    const filling = { used_tokens: 150_000, max_tokens: 200_000, percentage: 75, compact_at_percentage: 83.5 };
    const table = sessionTable(
      [
        session('aaaaaaaa1', { context: { ...filling, used_tokens: 30_000, percentage: 15 } }),
        session('bbbbbbbb2', { context: filling }),
        session('cccccccc3'),
      ],
      style,
    );
    const row = (id: string) => table.split('\n').find((line) => line.includes(id));
    expect(row('aaaaaaaa')).toMatch(/\d+s\s+15%\s+other/);
    expect(row('bbbbbbbb')).toMatch(/\d+s\s+75%\s+other/);
    expect(row('cccccccc')).toMatch(/\d+s\s+-\s+other/);
    expect(sessionTable([session('bbbbbbbb2', { context: filling })], makeStyle(true))).toContain('\u001b[33m');
  });

  it('show the machine each session runs on in a cluster', () => {
    const table = sessionTable([session('aaaaaaaa1', { node: 'laptop' }), session('bbbbbbbb2', { node: 'build-box' })], style);
    expect(table).toMatch(/ID\s+TITLE\s+PROJECT\s+STATE\s+AGE\s+CONTEXT\s+MACHINE\s+OWNER\s+VIEWERS/);
    expect(table.split('\n').find((line) => line.includes('bbbbbbbb'))).toMatch(/idle\s+\d+s\s+-\s+build-box\s+other\s+1/);
    const history = historyTable([session('aaaaaaaa1', { node: 'laptop', ended_at: now, end_reason: 'node_lost' })], style);
    expect(history).toMatch(/AGE\s+MACHINE\s+ENDED\s+WHY/);
    expect(history).toContain('laptop');
  });
});
