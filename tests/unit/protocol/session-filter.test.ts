import { describe, expect, it } from 'vitest';
import { applyToSessionList } from '../../../lib/client/shared/session-list.ts';
import { compareListed, matchesFilter, sessionFilter } from '../../../lib/protocol/index.ts';
import { sessionInfo } from '../../support/session-fixture.ts';

describe('the session filter', () => {
  const session = sessionInfo('s1', { name: null, title: 'Fix the Parser', cwd: '/home/me/Vibes', state: 'idle' });

  it('asks for nothing when the query has no words, project or status', () => {
    expect(sessionFilter({})).toBeNull();
    expect(sessionFilter({ q: '   ' })).toBeNull();
    expect(matchesFilter(session, null)).toBe(true);
  });

  it('needs every word somewhere in the name, title or folder, in any case', () => {
    expect(matchesFilter(session, sessionFilter({ q: 'parser FIX' }))).toBe(true);
    expect(matchesFilter(session, sessionFilter({ q: 'vibes parser' }))).toBe(true);
    expect(matchesFilter(session, sessionFilter({ q: 'parser lexer' }))).toBe(false);
    expect(matchesFilter({ ...session, name: 'Release' }, sessionFilter({ q: 'release' }))).toBe(true);
  });

  it('matches a project by its last folder, a path exactly, and a state', () => {
    expect(matchesFilter(session, sessionFilter({ project: 'vibes' }))).toBe(true);
    expect(matchesFilter(session, sessionFilter({ project: 'ibes' }))).toBe(false);
    expect(matchesFilter(session, sessionFilter({ project: '/home/me/Vibes' }))).toBe(true);
    expect(matchesFilter(session, sessionFilter({ project: '/home/me' }))).toBe(false);
    expect(matchesFilter(session, sessionFilter({ status: 'idle' }))).toBe(true);
    expect(matchesFilter(session, sessionFilter({ q: 'parser', status: 'processing' }))).toBe(false);
  });
});

describe('the live list order', () => {
  it('puts pinned sessions first, then the newest, and moves a session when its pin changes', () => {
    const old = sessionInfo('a-old', { created_at: 100 });
    const young = sessionInfo('b-young', { created_at: 200 });
    expect([old, young].sort(compareListed).map((listed) => listed.id)).toEqual(['b-young', 'a-old']);
    const list = applyToSessionList(undefined, { type: 'session_list', sessions: [old, young] });
    const pinned = applyToSessionList(list, { type: 'session_updated', session: { ...old, pinned: true } });
    expect(pinned?.map((listed) => listed.id)).toEqual(['a-old', 'b-young']);
    const unpinned = applyToSessionList(pinned, { type: 'session_updated', session: { ...old, pinned: false } });
    expect(unpinned?.map((listed) => listed.id)).toEqual(['b-young', 'a-old']);
  });
});
