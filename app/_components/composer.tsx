'use client';

import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { isTurnRunning } from '../../lib/protocol/rules.ts';
import { useLive } from './live-provider.tsx';

/** Enter sends, Shift+Enter breaks the line. Input sent during a turn is queued by the server and shown as such. */
export function Composer({ session }: { session: SessionInfo }) {
  const { api, noteError, clientId } = useLive();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fieldId = useId();
  const ended = session.state === 'finished' || session.state === 'failed';

  async function send(event?: FormEvent) {
    event?.preventDefault();
    const content = text.trim();
    if (!content || busy) return;
    setBusy(true);
    setError(null);
    try {
      await api.sendInput(session.id, content, 'web');
      setText('');
    } catch (caught) {
      noteError(caught);
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  }

  const busyTurn = isTurnRunning(session.state);
  return (
    <form
      onSubmit={(event) => void send(event)}
      className="border-t border-neutral-200 bg-white px-3 pt-2 vibes-safe-bottom dark:border-neutral-800 dark:bg-neutral-950"
    >
      <label htmlFor={fieldId} className="sr-only">
        Message to Claude
      </label>
      {(busyTurn || session.queued_inputs > 0) && (
        <p className="mb-1 text-xs text-neutral-600 dark:text-neutral-400" data-testid="queue-note">
          {session.queued_inputs > 0
            ? `${session.queued_inputs} input${session.queued_inputs === 1 ? '' : 's'} queued: sent when the turn ends`
            : 'Claude is working: what you send now is queued'}
        </p>
      )}
      <div className="flex items-end gap-2">
        <textarea
          id={fieldId}
          data-testid="composer"
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          rows={1}
          disabled={ended || !clientId}
          placeholder={ended ? 'This session has ended' : 'Message Claude…'}
          className="vibes-input max-h-40 min-h-11 flex-1 resize-none"
          enterKeyHint="send"
        />
        <button type="submit" disabled={busy || ended || !text.trim()} className="vibes-button vibes-button-primary">
          Send
        </button>
      </div>
      {error && (
        <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
    </form>
  );
}
