'use client';

import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { isTurnRunning } from '../../lib/protocol/rules.ts';
import { useAsyncAction } from '../_hooks/use-async-action.ts';
import { useLive } from './live-provider.tsx';
import { Button } from './ui/button.tsx';
import { Problem } from './ui/problem.tsx';
import { useSlashCommands } from './slash-commands.tsx';

/** Enter sends, Shift+Enter breaks the line. Input sent during a turn is queued by the server and shown as such. */
export function Composer({ session }: { session: SessionInfo }) {
  const { api, clientId } = useLive();
  const [text, setText] = useState('');
  const fieldId = useId();
  const ended = session.state === 'finished' || session.state === 'failed';
  const sending = useAsyncAction(async (content: string) => {
    await api.sendInput(session.id, content, 'web');
    setText('');
  });
  const busy = sending.busy;
  const slash = useSlashCommands({ session, text, setText, run: (content) => void sending.run(content) });

  async function send(event?: FormEvent) {
    event?.preventDefault();
    const content = text.trim();
    if (!content || busy) return;
    await sending.run(content);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (slash.onKeyDown(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  }

  const busyTurn = isTurnRunning(session.state);
  return (
    <form onSubmit={(event) => void send(event)} className="border-t border-border bg-surface px-3 pt-2 vibes-safe-bottom">
      <label htmlFor={fieldId} className="sr-only">
        Message to Claude
      </label>
      {(busyTurn || session.queued_inputs > 0) && (
        <p className="mb-1 text-xs text-muted" data-testid="queue-note">
          {session.queued_inputs > 0
            ? `${session.queued_inputs} input${session.queued_inputs === 1 ? '' : 's'} queued: sent when the turn ends`
            : session.state === 'waiting_permission'
              ? 'Claude waits for your answer above: a message sent now is queued until the turn ends'
              : 'Claude is working: what you send now is queued'}
        </p>
      )}
      {slash.menu}
      <div className="flex items-end gap-2">
        <textarea
          {...slash.fieldProps}
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
        <Button type="submit" variant="primary" disabled={busy || ended || !text.trim()}>
          Send
        </Button>
      </div>
      <Problem className="mt-1 text-xs">{sending.error}</Problem>
    </form>
  );
}
