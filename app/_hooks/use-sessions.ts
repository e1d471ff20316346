'use client';

import useSWR from 'swr';
import { sortSessions } from '../../lib/client/shared/session-list.ts';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { SESSIONS_KEY, useLive } from '../_components/live-provider.tsx';

/** The session list: a REST snapshot in SWR, kept current by the event stream. */
export function useSessions() {
  const { api, noteError } = useLive();
  return useSWR<readonly SessionInfo[]>(SESSIONS_KEY, async () => sortSessions(await api.listSessions()), {
    revalidateOnFocus: false,
    revalidateOnReconnect: false,
    revalidateIfStale: false,
    onError: noteError,
  });
}
