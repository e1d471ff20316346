'use client';

import { useEffect } from 'react';
import useSWR from 'swr';
import { transcriptKey } from '../../lib/client/web/transcript-feed.ts';
import type { TranscriptState } from '../../lib/client/shared/transcript.ts';
import { useFeed } from './use-feed.ts';

/**
 * A session's transcript. The feed loads the snapshot and applies live events; SWR is the cache
 * the views read, so a session opened twice shares one copy and reopening it is instant.
 */
export function useTranscript(sessionId: string): TranscriptState | undefined {
  const feed = useFeed();
  const { data } = useSWR<TranscriptState>(transcriptKey(sessionId), null, {
    fallbackData: feed.get(sessionId) ?? undefined,
    revalidateOnFocus: false,
    revalidateOnReconnect: false,
  });
  useEffect(() => feed.ensure(sessionId), [feed, sessionId]);
  return data;
}
