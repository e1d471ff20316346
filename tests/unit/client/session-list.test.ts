import { describe, expect, it } from 'vitest';
import { endLook, endText, formatAge, projectLabel, stateLook } from '../../../lib/client/shared/labels.ts';
import { applyToSessionList } from '../../../lib/client/shared/session-list.ts';
import type { SessionInfo } from '../../../lib/protocol/index.ts';
import { sessionInfo } from '../../support/session-fixture.ts';

const session = (id: string, created: number, extra: Partial<SessionInfo> = {}): SessionInfo =>
  sessionInfo(id, { owner_id: 'a', created_at: created, last_activity_at: created, ...extra });

describe('session list', () => {
  it('applies list, update, removal and ownership events, newest first', () => {
    let list = applyToSessionList(undefined, { type: 'session_list', sessions: [session('old', 1), session('new', 2)] });
    expect(list?.map((s) => s.id)).toEqual(['new', 'old']);
    list = applyToSessionList(list, { type: 'session_updated', session: session('newest', 3) });
    expect(list?.map((s) => s.id)).toEqual(['newest', 'new', 'old']);
    list = applyToSessionList(list, { type: 'session_updated', session: session('old', 1, { state: 'processing' }) });
    expect(list?.find((s) => s.id === 'old')?.state).toBe('processing');
    list = applyToSessionList(list, { type: 'ownership_transferred', session_id: 'new', new_owner_id: 'me', you_are_owner: true });
    expect(list?.find((s) => s.id === 'new')).toMatchObject({ owner_id: 'me', is_owner: true });
    list = applyToSessionList(list, { type: 'session_removed', session_id: 'newest', reason: 'killed' });
    expect(list?.map((s) => s.id)).toEqual(['new', 'old']);
    expect(applyToSessionList(list, { type: 'resync', reason: 'slow_client' })).toBe(list);
  });

  it('formats names and ages for a card', () => {
    expect(projectLabel({ project: 'vibes', git_branch: 'main' })).toBe('vibes · main');
    expect(projectLabel({ project: 'tmp', git_branch: null })).toBe('tmp');
    expect([5, 65, 3700, 90_000].map(formatAge)).toEqual(['5s', '1m', '1h', '1d']);
  });
});

describe('endLook', () => {
  const ended = (state: SessionInfo['state'], end_reason: SessionInfo['end_reason'], failure: string | null = null) => ({
    state,
    end_reason,
    failure,
  });
  it('says how a session ended, in words and a tone', () => {
    expect(endLook(ended('finished', 'killed'))).toMatchObject({ label: 'Killed', tone: 'warning' });
    expect(endLook(ended('failed', 'owner_disconnected', 'Not logged in'))).toEqual({
      label: 'Failed',
      tone: 'bad',
      detail: 'Not logged in',
    });
    expect(endLook(ended('finished', 'session_finished'))).toMatchObject({ label: 'Finished', tone: 'done' });
    expect(endLook(ended('finished', 'owner_disconnected'))).toMatchObject({ label: 'Finished', detail: 'everyone watching it had left' });
    expect(endLook(ended('finished', 'server_stopped'))).toMatchObject({ label: 'Server stopped', tone: 'warning' });
    expect(endLook(ended('finished', 'server_restarted'))).toMatchObject({ label: 'Crashed', tone: 'bad' });
  });

  it('a failed session says its failure, never that everyone had left', () => {
    expect(endText(ended('failed', 'owner_disconnected', 'Not logged in\nstderr: ...'), 'owner_disconnected')).toBe(
      'This session ended when Claude failed.',
    );
    expect(endText(ended('finished', 'killed'), 'killed')).toBe('This session was killed.');
    expect(endText(ended('finished', null), null)).toBe('This session has ended.');
  });
});

describe('stateLook', () => {
  const waitingOn = (kind: 'tool' | 'question' | 'plan') =>
    sessionInfo('s', {
      state: 'waiting_permission',
      pending_permissions: [
        {
          request_id: 'r',
          tool_name: 'AskUserQuestion',
          input: {},
          kind,
          display: { type: 'input' },
          suggestions: [],
          requested_at: 1,
        },
      ],
    });
  it('words a waiting session by what it waits for', () => {
    expect(stateLook(waitingOn('tool')).label).toBe('Needs approval');
    expect(stateLook(waitingOn('question')).label).toBe('Question for you');
    expect(stateLook(waitingOn('plan')).label).toBe('Plan to review');
    expect(stateLook(sessionInfo('s', { state: 'processing' })).label).toBe('Working');
  });
});
