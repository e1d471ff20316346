'use client';

import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { repeatedRows, type TranscriptState } from '../../lib/client/shared/transcript.ts';
import type { TodoList as Todos } from '../../lib/protocol/index.ts';
import { TodoList } from './todo-list.tsx';
import { useFeed } from '../_hooks/use-feed.ts';
import { useLive } from './live-provider.tsx';
import { TranscriptRow } from './transcript-row.tsx';

/** Rows mounted at first; scrolling up mounts more, then loads older pages from the server. */
const WINDOW = 120;

export function TranscriptView({
  sessionId,
  transcript,
  todos = null,
}: {
  sessionId: string;
  transcript: TranscriptState | undefined;
  /** Claude's latest todo list, pinned above the transcript. */
  todos?: Todos | null;
}) {
  const { clientId } = useLive();
  const feed = useFeed();
  const scroller = useRef<HTMLDivElement>(null);
  const top = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState(WINDOW);
  const stickToBottom = useRef(true);
  const anchor = useRef<{ height: number; top: number } | null>(null);

  const items = transcript?.items ?? [];
  const start = Math.max(0, items.length - shown);
  const visible = items.slice(start);
  const { hidden, quietTurns } = useMemo(() => repeatedRows(visible), [visible]);
  const hasMore = start > 0 || (transcript?.firstSeq ?? 1) > 1;

  // Growing the window (or prepending a page) must not make the view jump.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    if (anchor.current) {
      element.scrollTop = anchor.current.top + (element.scrollHeight - anchor.current.height);
      anchor.current = null;
    } else if (stickToBottom.current) {
      element.scrollTop = element.scrollHeight;
    }
  });

  useEffect(() => {
    const element = scroller.current;
    const sentinel = top.current;
    if (!element || !sentinel || !hasMore) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting) || stickToBottom.current) return;
        anchor.current = { height: element.scrollHeight, top: element.scrollTop };
        if (start > 0) setShown((count) => count + WINDOW);
        else void feed.loadOlder(sessionId).then(() => setShown((count) => count + WINDOW));
      },
      { root: element, rootMargin: '300px 0px 0px 0px' },
    );
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [feed, sessionId, hasMore, start]);

  return (
    <>
      {todos && todos.total > 0 && <PinnedTodos todos={todos} />}
      <div
        ref={scroller}
        onScroll={(event) => {
          const element = event.currentTarget;
          stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
        }}
        className="min-h-0 flex-1 overflow-y-auto overscroll-contain px-3 py-3 sm:px-5"
        data-testid="transcript"
        data-first-seq={transcript?.firstSeq}
        data-last-seq={transcript?.lastSeq}
        aria-label="Transcript"
        role="log"
        aria-busy={transcript === undefined}
        tabIndex={0}
      >
        <div ref={top} aria-hidden="true" />
        {hasMore && <p className="py-2 text-center text-xs text-muted">Scroll up for earlier events</p>}
        {transcript === undefined ? (
          <p className="text-sm text-muted" role="status">
            Loading transcript…
          </p>
        ) : items.length === 0 ? (
          <p className="text-sm text-muted">Nothing here yet.</p>
        ) : (
          <div className="mx-auto max-w-3xl space-y-3" data-testid="transcript-rows">
            {visible.map((item) =>
              hidden.has(item.key) ? null : (
                <TranscriptRow key={item.key} item={item} clientId={clientId} sessionId={sessionId} quiet={quietTurns.has(item.key)} />
              ),
            )}
          </div>
        )}
      </div>
    </>
  );
}

/** Claude's plan of work, pinned above the transcript: progress at a glance, the list a tap away. */
function PinnedTodos({ todos }: { todos: Todos }) {
  const current = todos.items.find((todo) => todo.status === 'in_progress');
  return (
    <details className="border-b border-border px-3 text-sm sm:px-5" data-testid="pinned-todos">
      <summary className="flex min-h-11 min-w-0 cursor-pointer items-center gap-2">
        <span className="shrink-0 font-semibold" data-testid="todo-progress">
          {todos.completed} of {todos.total} done
        </span>
        {current && <span className="min-w-0 truncate text-muted">{current.active_form || current.content}</span>}
      </summary>
      <div className="max-h-[40dvh] overflow-y-auto pb-2">
        <TodoList todos={todos.items} />
      </div>
    </details>
  );
}
