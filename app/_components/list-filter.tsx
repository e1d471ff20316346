'use client';

import { useEffect, useMemo, useState } from 'react';
import { STATE_LOOK } from '../../lib/client/shared/labels.ts';
import type { SessionInfo, SessionState } from '../../lib/protocol/index.ts';
import { matchesFilter, sessionFilter } from '../../lib/protocol/session-filter.ts';
import { useHistorySearch } from '../_hooks/use-history-search.ts';
import { Input, Select } from './ui/field.tsx';

/** What a search leaves: the live sessions it matches (filtered here), and what the server found in the whole history. */
export interface Narrowed {
  sessions: readonly SessionInfo[] | undefined;
  history: readonly SessionInfo[] | undefined;
}

const STATES = Object.keys(STATE_LOOK) as SessionState[];
/** Typing settles before the history is searched on the server. */
const SEARCH_PAUSE_MS = 250;

/**
 * The search field and the state filter above the list, loaded after the first paint with what
 * they need (the matching rule, the history search): the dashboard only shows what they narrow.
 */
export default function ListFilter({
  sessions,
  onNarrow,
}: {
  sessions: readonly SessionInfo[] | undefined;
  onNarrow: (narrowed: Narrowed | null) => void;
}) {
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<SessionState | null>(null);
  useEffect(() => {
    const handle = window.setTimeout(() => setQ(text), SEARCH_PAUSE_MS);
    return () => window.clearTimeout(handle);
  }, [text]);
  const filter = useMemo(() => sessionFilter({ q, status: status ?? undefined }), [q, status]);
  const shown = useMemo(() => (filter ? sessions?.filter((session) => matchesFilter(session, filter)) : undefined), [filter, sessions]);
  const { data: found } = useHistorySearch({ q, status });
  useEffect(() => onNarrow(filter ? { sessions: shown, history: found } : null), [filter, shown, found, onNarrow]);
  return (
    <form role="search" className="flex flex-wrap gap-2 px-3 pt-3" onSubmit={(event) => event.preventDefault()}>
      <Input
        type="search"
        aria-label="Search sessions and history"
        placeholder="Search sessions"
        value={text}
        onChange={(event) => setText(event.target.value)}
        maxLength={200}
        autoComplete="off"
        className="min-w-0 flex-1"
        data-testid="session-search"
      />
      <Select
        aria-label="Only sessions in this state"
        value={status ?? ''}
        onChange={(event) => setStatus((event.target.value || null) as SessionState | null)}
        className="w-32 shrink-0"
        data-testid="state-filter"
      >
        <option value="">All states</option>
        {STATES.map((state) => (
          <option key={state} value={state}>
            {STATE_LOOK[state].label}
          </option>
        ))}
      </Select>
      {filter && (
        <p className="w-full text-sm text-muted" role="status" data-testid="filter-summary">
          {shown && found ? `${counted(shown.length, 'running session')} and ${counted(found.length, 'ended one')} match` : 'Searching…'}
        </p>
      )}
    </form>
  );
}

const counted = (count: number, what: string) => `${count === 0 ? 'No' : count} ${what}${count === 1 ? '' : 's'}`;
