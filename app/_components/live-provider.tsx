'use client';

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { mutate } from 'swr';
import { ApiError } from '../../lib/client/shared/api-error.ts';
import { WebApi } from '../../lib/client/web/web-api.ts';
import { BrowserStream, type ConnectionStatus } from '../../lib/client/web/browser-stream.ts';
import { applyToSessionList, withoutLive } from '../../lib/client/shared/session-list.ts';
import { TranscriptFeed, transcriptKey } from '../../lib/client/web/transcript-feed.ts';
import type { RemovalReason, SessionInfo } from '../../lib/protocol/index.ts';

export const SESSIONS_KEY = 'sessions';
export const HISTORY_KEY = 'history';

export interface Live {
  api: WebApi;
  stream: BrowserStream;
  feed: TranscriptFeed;
  status: ConnectionStatus;
  clientId: string | null;
  /** The server lets sessions bypass permissions (its operator opted in); the dashboard offers it only then. */
  allowBypass: boolean;
  /** Grows on every hello: a new connection, after which subscriptions are renewed. */
  connection: number;
  removed: ReadonlyMap<string, RemovalReason>;
  signedOut: boolean;
  /** Call with any failed request: a 401 turns the whole page into the signed-out screen. */
  noteError: (error: unknown) => void;
}

const LiveContext = createContext<Live | null>(null);

export function useLive(): Live {
  const live = useContext(LiveContext);
  if (!live) throw new Error('useLive needs <LiveProvider>');
  return live;
}

interface Core {
  api: WebApi;
  stream: BrowserStream;
  feed: TranscriptFeed;
}

export function LiveProvider({ children }: { children: ReactNode }) {
  const [signedOut, setSignedOut] = useState(false);
  const noteError = useCallback((error: unknown) => {
    if (error instanceof ApiError && error.status === 401) setSignedOut(true);
  }, []);
  const [core] = useState<Core>(() => {
    const stream = new BrowserStream({ storage: typeof window === 'undefined' ? null : window.sessionStorage });
    const api = new WebApi({ ...(stream.clientId ? { clientId: stream.clientId } : {}) });
    const feed = new TranscriptFeed(
      api,
      (sessionId, state) => void mutate(transcriptKey(sessionId), state, { revalidate: false }),
      (_sessionId, error) => noteError(error),
    );
    return { api, stream, feed };
  });
  const [status, setStatus] = useState<ConnectionStatus>(core.stream.status);
  const [clientId, setClientId] = useState<string | null>(core.stream.clientId);
  const [connection, setConnection] = useState(0);
  const [allowBypass, setAllowBypass] = useState(false);
  const [removed, setRemoved] = useState<ReadonlyMap<string, RemovalReason>>(new Map());

  useEffect(() => {
    const { stream, api, feed } = core;
    const offStatus = stream.onStatus((next) => {
      setStatus(next);
      if (next === 'unauthorized') setSignedOut(true);
    });
    const offEvent = stream.onEvent((event) => {
      switch (event.type) {
        case 'hello':
          api.clientId = event.client_id;
          setClientId(event.client_id);
          setAllowBypass(event.allow_bypass === true);
          setConnection((count) => count + 1);
          return;
        case 'session_event':
          feed.push(event.session_id, { seq: event.seq, at: event.at, event: event.event });
          return;
        case 'resync':
          feed.reloadAll();
          return;
        case 'session_list':
          void mutate(HISTORY_KEY);
          break;
        case 'session_removed':
          setRemoved((current) => new Map(current).set(event.session_id, event.reason));
          void mutate(HISTORY_KEY);
          break;
        case 'session_updated':
          void mutate<readonly SessionInfo[] | undefined>(HISTORY_KEY, (history) => withoutLive(history, event.session.id), {
            revalidate: false,
          });
          setRemoved((current) => {
            if (!current.has(event.session.id)) return current;
            const next = new Map(current);
            next.delete(event.session.id);
            return next;
          });
          break;
        default:
          break;
      }
      void mutate<readonly SessionInfo[] | undefined>(SESSIONS_KEY, (sessions) => applyToSessionList(sessions, event), {
        revalidate: false,
      });
    });
    stream.start();
    const wake = () => {
      if (document.visibilityState === 'visible') stream.retryNow();
    };
    document.addEventListener('visibilitychange', wake);
    window.addEventListener('online', wake);
    return () => {
      offStatus();
      offEvent();
      document.removeEventListener('visibilitychange', wake);
      window.removeEventListener('online', wake);
      stream.stop();
    };
  }, [core]);

  useVisualViewportHeight();

  const value = useMemo<Live>(
    () => ({ ...core, status, clientId, allowBypass, connection, removed, signedOut, noteError }),
    [core, status, clientId, allowBypass, connection, removed, signedOut, noteError],
  );
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

/** Keeps --app-height at the visible height, so the composer stays above an on-screen keyboard (iOS does not resize the layout). */
function useVisualViewportHeight(): void {
  useEffect(() => {
    const viewport = window.visualViewport;
    if (!viewport) return;
    const root = document.documentElement;
    const update = () => root.style.setProperty('--app-height', `${Math.round(viewport.height)}px`);
    update();
    viewport.addEventListener('resize', update);
    return () => viewport.removeEventListener('resize', update);
  }, []);
}
