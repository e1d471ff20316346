'use client';

import dynamic from 'next/dynamic';
import { useEffect, useState } from 'react';
import { SWRConfig } from 'swr';
import { useAttentionTitle, useWatchReport } from '../_hooks/use-attention.ts';
import { useHistory } from '../_hooks/use-history.ts';
import type { Narrowed } from './list-filter.tsx';
import { useOpenSession } from '../_hooks/use-open-session.ts';
import { useSessions } from '../_hooks/use-sessions.ts';
import { ConnectionIndicator } from './connection-indicator.tsx';
import { LiveProvider, useLive } from './live-provider.tsx';
import { DevicesButton, NewSessionButton } from './dialog-buttons.tsx';
import { HistoryList } from './history-list.tsx';
import { SessionList } from './session-list.tsx';

const ListFilter = dynamic(() => import('./list-filter.tsx'), { ssr: false });
// Shown only to a browser that lost its sign-in: its words need not weigh on every first load.
const SignedOut = dynamic(() => import('./signed-out.tsx'), { ssr: false });

const loadSessionView = () => import('./session-view.tsx');
const SessionView = dynamic(loadSessionView, {
  ssr: false,
  loading: () => (
    <p className="p-6 text-muted" role="status">
      Loading…
    </p>
  ),
});

export function Dashboard() {
  return (
    <SWRConfig value={{ revalidateOnFocus: false, shouldRetryOnError: false }}>
      <LiveProvider>
        <Screen />
      </LiveProvider>
    </SWRConfig>
  );
}

function Screen() {
  const { signedOut, api, clientId } = useLive();
  const { data: sessions } = useSessions();
  const { data: history } = useHistory();
  // What a search or filter leaves of both lists; null shows them whole.
  const [narrowed, setNarrowed] = useState<Narrowed | null>(null);
  const { openId, open, close } = useOpenSession();
  useAttentionTitle(sessions);
  useWatchReport(api, clientId, openId);

  useEffect(() => {
    const handle = window.setTimeout(() => void loadSessionView(), 1000);
    return () => window.clearTimeout(handle);
  }, []);

  if (signedOut) return <SignedOut />;

  const session = openId
    ? (sessions?.find((candidate) => candidate.id === openId) ?? history?.find((candidate) => candidate.id === openId))
    : undefined;
  return (
    <div className="vibes-app flex overflow-hidden">
      <aside
        className={`${openId ? 'hidden' : 'flex'} w-full min-w-0 flex-col border-border lg:flex lg:w-96 lg:shrink-0 lg:border-r`}
        aria-label="Session list"
      >
        <header className="flex items-center gap-2 border-b border-border px-3 py-2 vibes-safe-top">
          <h1 className="flex-1 text-lg font-bold">vibes</h1>
          <ConnectionIndicator />
          <DevicesButton />
          <NewSessionButton onCreated={(id) => open(id)} compact />
        </header>
        <nav className="min-h-0 flex-1 overflow-y-auto vibes-safe-bottom" aria-label="Sessions">
          {(narrowed !== null || (sessions?.length ?? 0) + (history?.length ?? 0) > 0) && (
            <ListFilter sessions={sessions} onNarrow={setNarrowed} />
          )}
          <SessionList
            sessions={narrowed?.sessions ?? sessions}
            selectedId={openId}
            onOpen={(id) => open(id)}
            hasHistory={(history?.length ?? 0) > 0}
            filtered={narrowed !== null}
          />
          <HistoryList history={narrowed ? narrowed.history : history} selectedId={openId} onOpen={(id) => open(id)} />
        </nav>
      </aside>
      <main className={`${openId ? 'flex' : 'hidden'} min-w-0 flex-1 flex-col lg:flex`}>
        {openId ? (
          <SessionView key={openId} sessionId={openId} session={session} onBack={close} />
        ) : (
          <div className="m-auto p-6 text-center text-muted" data-testid="no-session-open">
            <p>Pick a session on the left to watch it here.</p>
          </div>
        )}
      </main>
    </div>
  );
}
