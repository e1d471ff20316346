import { describe, expect, it } from 'vitest';
import { historyTable, sessionTable } from '../../../cli/lib/session-table.ts';
import { makeStyle } from '../../../cli/lib/style.ts';
import { SessionInfo } from '../../../lib/protocol/index.ts';

const now = Math.floor(Date.now() / 1000);
const session = (id: string, extra: Partial<SessionInfo> = {}): SessionInfo =>
  SessionInfo.parse({
    id,
    name: `session ${id}`,
    title: `session ${id}`,
    project: 'tmp',
    state: 'idle',
    owner_id: 'someone',
    is_owner: false,
    subscriber_count: 1,
    created_at: now,
    last_activity_at: now,
    cwd: '/tmp',
    model: null,
    pending_permissions: [],
    queued_inputs: 0,
    cost_usd: 0,
    claude_session_id: null,
    failure: null,
    ended_at: null,
    end_reason: null,
    ...extra,
  });
const style = makeStyle(false);

describe('the session tables', () => {
  it('show no machine column on a single machine', () => {
    expect(sessionTable([session('aaaaaaaa1')], style)).toMatch(/^ {2}ID\s+TITLE\s+PROJECT\s+STATE\s+AGE\s+OWNER\s+VIEWERS$/m);
    expect(historyTable([session('aaaaaaaa1', { ended_at: now, end_reason: 'killed' })], style)).not.toContain('MACHINE');
  });

  it('show the machine each session runs on in a cluster', () => {
    const table = sessionTable([session('aaaaaaaa1', { node: 'laptop' }), session('bbbbbbbb2', { node: 'build-box' })], style);
    expect(table).toMatch(/ID\s+TITLE\s+PROJECT\s+STATE\s+AGE\s+MACHINE\s+OWNER\s+VIEWERS/);
    expect(table.split('\n').find((line) => line.includes('bbbbbbbb'))).toMatch(/idle\s+\d+s\s+build-box\s+other\s+1/);
    const history = historyTable([session('aaaaaaaa1', { node: 'laptop', ended_at: now, end_reason: 'node_lost' })], style);
    expect(history).toMatch(/AGE\s+MACHINE\s+ENDED\s+WHY/);
    expect(history).toContain('laptop');
  });
});
