'use client';

import dynamic from 'next/dynamic';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { isTurnRunning } from '../../../lib/protocol/rules.ts';
import type { SessionInfo } from '../../../lib/protocol/index.ts';

const TurnChangesDialog = dynamic(() => import('./turn-changes-dialog.tsx'), { ssr: false });
const RewindDialog = dynamic(() => import('./rewind-dialog.tsx'), { ssr: false });

/** What the transcript's rows can do with the session's work: show a turn's changes, undo from a message. */
export interface WorkActions {
  session: SessionInfo | undefined;
  showTurn: (seq: number) => void;
  undoFrom: (messageId: string, message: string) => void;
}

const WorkContext = createContext<WorkActions | null>(null);

/** Null outside a session view: the rows then offer no actions. */
export function useWorkActions(): WorkActions | null {
  return useContext(WorkContext);
}

/** Why undo cannot run now, in words; null when it can. */
export function undoBlocked(session: SessionInfo | undefined): string | null {
  if (!session) return 'the session is loading';
  if (session.ended_at !== null) return 'the session has ended: resume it first';
  if (isTurnRunning(session.state)) return 'Claude is working: interrupt it or wait for the turn to end';
  return null;
}

/** Holds the turn-changes and undo dialogs of one session view; their code loads on first use. */
export function WorkActionsProvider({
  sessionId,
  session,
  children,
}: {
  sessionId: string;
  session: SessionInfo | undefined;
  children: ReactNode;
}) {
  const [turn, setTurn] = useState<{ seq: number; open: boolean } | null>(null);
  const [undo, setUndo] = useState<{ messageId: string; message: string; open: boolean } | null>(null);
  const showTurn = useCallback((seq: number) => setTurn({ seq, open: true }), []);
  const undoFrom = useCallback((messageId: string, message: string) => setUndo({ messageId, message, open: true }), []);
  const value = useMemo(() => ({ session, showTurn, undoFrom }), [session, showTurn, undoFrom]);
  return (
    <WorkContext.Provider value={value}>
      {children}
      {turn && (
        <TurnChangesDialog
          sessionId={sessionId}
          seq={turn.seq}
          open={turn.open}
          setOpen={(open) => setTurn((current) => current && { ...current, open })}
        />
      )}
      {undo && (
        <RewindDialog
          sessionId={sessionId}
          messageId={undo.messageId}
          message={undo.message}
          open={undo.open}
          setOpen={(open) => setUndo((current) => current && { ...current, open })}
        />
      )}
    </WorkContext.Provider>
  );
}
