'use client';

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { mutate, useSWRConfig } from 'swr';
import { ApiError } from '../../lib/client/shared/api-error.ts';
import { WebApi } from '../../lib/client/web/web-api.ts';
import { BrowserStream, type ConnectionStatus } from '../../lib/client/web/browser-stream.ts';
import { applyToSessionList, withoutLive } from '../../lib/client/shared/session-list.ts';
import type { RemovalReason, SessionInfo, TranscriptEntry } from '../../lib/protocol/index.ts';

export const SESSIONS_KEY = 'sessions';
export const HISTORY_KEY = 'history';

/** What the provider needs of the transcript feed, which loads with the session view (see use-feed.ts). */
interface LiveFeed {
  push(sessionId: string, entry: TranscriptEntry): void;
  reloadAll(): void;
}

/**
 * Holds the tab's transcript feed once a session view has made one. Until then no transcript is
 * loaded, so there is nothing to apply events to; the feed's code stays out of the first load.
 */
export class FeedSlot {
  #feed: LiveFeed | null = null;

  push(sessionId: string, entry: TranscriptEntry): void {
    this.#feed?.push(sessionId, entry);
  }

  reloadAll(): void {
    this.#feed?.reloadAll();
  }

  install<Feed extends LiveFeed>(make: () => Feed): Feed {
    this.#feed ??= make();
    return this.#feed as Feed;
  }
}

export interface Live {
  api: WebApi;
  feedSlot: FeedSlot;
  status: ConnectionStatus;
  clientId: string | null;
  /** The server lets sessions bypass permissions (its operator opted in); the dashboard offers it only then. */
  allowBypass: boolean;
  /** New sessions are demo sessions unless they ask for Claude (the server runs with --demo). */
  demoDefault: boolean;
  /** Grows on every hello: a new connection, after which subscriptions are renewed. */
  connection: number;
  removed: ReadonlyMap<string, RemovalReason>;
  signedOut: boolean;
  /** Call with any failed request: a 401 turns the whole page into the signed-out screen. */
  noteError: (error: unknown) => void;
  /**
   * Subscribes this tab to a session, once per connection: the server takes input and answers
   * only from subscribers, so a view or a card that acts on a session watches it first.
   */
  watch: (sessionId: string) => Promise<void>;
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
  feedSlot: FeedSlot;
  /** Subscriptions made on the current connection (a new one starts with none: the server may have restarted). */
  watching: Map<string, Promise<void>>;
}

export function LiveProvider({ children }: { children: ReactNode }) {
  const [signedOut, setSignedOut] = useState(false);
  const noteError = useCallback((error: unknown) => {
    if (error instanceof ApiError && error.status === 401) setSignedOut(true);
  }, []);
  const [core] = useState<Core>(() => {
    const stream = new BrowserStream({ storage: typeof window === 'undefined' ? null : window.sessionStorage });
    const api = new WebApi({ ...(stream.clientId ? { clientId: stream.clientId } : {}) });
    return { api, stream, feedSlot: new FeedSlot(), watching: new Map() };
  });
  const [status, setStatus] = useState<ConnectionStatus>(core.stream.status);
  const [clientId, setClientId] = useState<string | null>(core.stream.clientId);
  const [connection, setConnection] = useState(0);
  const [allowBypass, setAllowBypass] = useState(false);
  const [demoDefault, setDemoDefault] = useState(false);
  const [removed, setRemoved] = useState<ReadonlyMap<string, RemovalReason>>(new Map());
  const { cache } = useSWRConfig();

  useEffect(() => {
    const { stream, api, feedSlot: feed } = core;
    const offStatus = stream.onStatus((next) => {
      setStatus(next);
      if (next === 'unauthorized') setSignedOut(true);
    });
    const offEvent = stream.onEvent((event) => {
      switch (event.type) {
        case 'hello':
          core.watching.clear();
          api.clientId = event.client_id;
          setClientId(event.client_id);
          setAllowBypass(event.allow_bypass === true);
          setDemoDefault(event.demo_default === true);
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
          // Only a session that is live again (resumed) leaves the history. A local change to the
          // history makes SWR drop a refetch in flight (the one a session_removed started), so
          // updates of live sessions, many a second, must not touch it.
          if (isInHistory(cache.get(HISTORY_KEY)?.data, event.session.id)) {
            void mutate<readonly SessionInfo[] | undefined>(HISTORY_KEY, (history) => withoutLive(history, event.session.id));
          }
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
  }, [core, cache]);

  useVisualViewportHeight();

  const watch = useCallback(
    (sessionId: string) => {
      let subscribed = core.watching.get(sessionId);
      if (!subscribed) {
        subscribed = core.api.subscribe(sessionId).then(() => undefined);
        core.watching.set(sessionId, subscribed);
        subscribed.catch(() => core.watching.delete(sessionId));
      }
      return subscribed;
    },
    [core],
  );

  const value = useMemo<Live>(
    () => ({
      api: core.api,
      feedSlot: core.feedSlot,
      status,
      clientId,
      allowBypass,
      demoDefault,
      connection,
      removed,
      signedOut,
      noteError,
      watch,
    }),
    [core, status, clientId, allowBypass, demoDefault, connection, removed, signedOut, noteError, watch],
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

function isInHistory(history: unknown, sessionId: string): boolean {
  return Array.isArray(history) && history.some((session: SessionInfo) => session.id === sessionId);
}
