import type { SessionInfo } from '../../lib/protocol/index.ts';

/** A whole, valid SessionInfo for tests of what reads one: an idle session nobody here owns, with `overrides` on top. */
export function sessionInfo(id: string, overrides: Partial<SessionInfo> = {}): SessionInfo {
  return {
    id,
    name: null,
    title: `Session ${id.slice(0, 8)}`,
    preview: null,
    project: 'tmp',
    git_branch: null,
    state: 'idle',
    owner_id: 'someone',
    is_owner: false,
    subscriber_count: 1,
    created_at: 1_700_000_000,
    last_activity_at: 1_700_000_000,
    cwd: '/tmp',
    model: null,
    permission_mode: 'default',
    todos: null,
    pending_permissions: [],
    queued_inputs: 0,
    cost_usd: 0,
    claude_session_id: null,
    failure: null,
    ended_at: null,
    end_reason: null,
    demo: false,
    node: null,
    changes: null,
    start_commit: null,
    context: null,
    pinned: false,
    ...overrides,
  };
}
