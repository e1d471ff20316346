'use client';

import useSWR from 'swr';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { HISTORY_KEY, useLive } from '../_components/live-provider.tsx';

/** Ended sessions, the most recently ended first; refetched when a session ends or the stream reconnects. */
export function useHistory() {
  const { api, noteError } = useLive();
  return useSWR<readonly SessionInfo[]>(HISTORY_KEY, () => api.history(), {
    revalidateOnFocus: false,
    revalidateOnReconnect: false,
    revalidateIfStale: false,
    onError: noteError,
  });
}
