'use client';

import { mutate } from 'swr';
import { TranscriptFeed, transcriptKey } from '../../lib/client/web/transcript-feed.ts';
import { useLive } from '../_components/live-provider.tsx';

/** The tab's transcript feed, made by the first session view that needs it (its code loads with that view). */
export function useFeed(): TranscriptFeed {
  const { feedSlot, api, noteError } = useLive();
  return feedSlot.install(
    () =>
      new TranscriptFeed(
        api,
        (sessionId, state) => void mutate(transcriptKey(sessionId), state, { revalidate: false }),
        (_sessionId, error) => noteError(error),
      ),
  );
}
