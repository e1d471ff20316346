'use client';

import useSWR from 'swr';
import type { SessionInfo, SessionState } from '../../lib/protocol/index.ts';
import { HISTORY_KEY, useLive } from '../_components/live-provider.tsx';

/** What a search finds in the whole history, on the server (it is paged: the loaded page is not all of it); nothing without one. */
export function useHistorySearch(search: { q: string; status: SessionState | null }) {
  const { api, noteError } = useLive();
  const q = search.q.trim();
  const key = q === '' && search.status === null ? null : ([HISTORY_KEY, q, search.status] as const);
  return useSWR<readonly SessionInfo[]>(key, () => api.history({ q, ...(search.status ? { status: search.status } : {}) }), {
    revalidateOnFocus: false,
    revalidateOnReconnect: false,
    keepPreviousData: true,
    onError: noteError,
  });
}
