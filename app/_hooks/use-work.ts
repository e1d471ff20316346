'use client';

import useSWR, { type Key, type SWRConfiguration } from 'swr';
import type { ChangeBase, ChangesSummary } from '../../lib/protocol/index.ts';
import { useLive } from '../_components/live-provider.tsx';

/** SWR types a failed fetch `any`; ours is whatever the API call threw, so `unknown` until checked. */
function useWork<T>(key: Key, fetch: () => Promise<T>, options: SWRConfiguration<T, unknown>) {
  return useSWR<T, unknown>(key, fetch, options);
}

const OPTIONS = { revalidateOnFocus: false, revalidateOnReconnect: false, keepPreviousData: true } as const;

/** Changes when the session's summary does: the list and an open diff are fetched again then. */
export function changesVersion(changes: ChangesSummary | null | undefined): string {
  return changes ? `${changes.files}:${changes.additions}:${changes.deletions}` : '-';
}

/** The session's changed files against its start or HEAD, fetched again whenever its summary changes. */
export function useChanges(sessionId: string, base: ChangeBase, version: string) {
  const { api, noteError } = useLive();
  return useWork(['changes', sessionId, base, version], () => api.changes(sessionId, base), { ...OPTIONS, onError: noteError });
}

/** One file's diff (null path: none open). */
export function useFileDiff(sessionId: string, path: string | null, base: ChangeBase, version: string) {
  const { api, noteError } = useLive();
  return useWork(path === null ? null : ['file-diff', sessionId, path, base, version], () => api.fileDiff(sessionId, path ?? '', base), {
    ...OPTIONS,
    onError: noteError,
  });
}

/** What the turn started by the user_input at `seq` changed; a turn's changes stay as they were. */
export function useTurnChanges(sessionId: string, seq: number | null) {
  const { api, noteError } = useLive();
  return useWork(seq === null ? null : ['turn-changes', sessionId, seq], () => api.turnChanges(sessionId, seq ?? 0), {
    ...OPTIONS,
    revalidateIfStale: false,
    onError: noteError,
  });
}

/** Files whose name contains `query` (null: no search). */
export function useFileSearch(sessionId: string, query: string | null) {
  const { api, noteError } = useLive();
  return useWork(query ? ['file-search', sessionId, query] : null, () => api.searchFiles(sessionId, query ?? '', 200), {
    ...OPTIONS,
    onError: noteError,
  });
}

/** A file's text (null path: none open). */
export function useFileContent(sessionId: string, path: string | null) {
  const { api, noteError } = useLive();
  return useWork(path === null ? null : ['file-content', sessionId, path], () => api.readFile(sessionId, path ?? ''), {
    ...OPTIONS,
    keepPreviousData: false,
    onError: noteError,
  });
}
