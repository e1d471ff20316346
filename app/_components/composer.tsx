'use client';

import { useId, useState, type ClipboardEvent, type DragEvent, type FormEvent, type KeyboardEvent } from 'react';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { isTurnRunning } from '../../lib/protocol/rules.ts';
import { useAsyncAction } from '../_hooks/use-async-action.ts';
import { useLive } from './live-provider.tsx';
import { AttachSheet, AttachmentTray, PaperClipIcon, useAttachments } from './attachment-tray.tsx';
import { Button } from './ui/button.tsx';
import { Textarea } from './ui/field.tsx';
import { Problem } from './ui/problem.tsx';
import { useSlashCommands } from './slash-commands.tsx';

/** Enter sends, Shift+Enter breaks the line. Input sent during a turn is queued by the server and shown as such. */
export function Composer({ session }: { session: SessionInfo }) {
  const { api, clientId } = useLive();
  const [text, setText] = useState('');
  const [sheetOpen, setSheetOpen] = useState(false);
  const attachments = useAttachments(session.id);
  const fieldId = useId();
  const ended = session.state === 'finished' || session.state === 'failed';
  const sending = useAsyncAction(async (content: string, ids: string[]) => {
    // Cleared as it leaves, not when the server answers: what is typed or attached meanwhile is the next message.
    setText('');
    const taken = attachments.take(ids);
    try {
      await api.sendInput(session.id, content, 'web', ids);
    } catch (error) {
      setText((typed) => (typed === '' ? content : typed));
      attachments.settle(taken, false);
      throw error;
    }
    attachments.settle(taken, true);
  });
  const busy = sending.busy;
  // A file still uploading or refused holds the message back: it would go without it.
  const canSend = !busy && !ended && !attachments.uploading && !attachments.failed && (text.trim() !== '' || attachments.ready.length > 0);
  // A command chosen from the list goes as a message would: with what is attached, never while a file holds it back.
  const commandReady = !busy && !ended && !attachments.uploading && !attachments.failed;
  const slash = useSlashCommands({
    session,
    text,
    setText,
    run: (content) => {
      if (commandReady) void sending.run(content, attachments.ready);
    },
  });

  async function send(event?: FormEvent) {
    event?.preventDefault();
    if (!canSend) return;
    await sending.run(text.trim(), attachments.ready);
  }

  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    const files = [...event.clipboardData.files];
    if (files.length === 0) return;
    event.preventDefault();
    attachments.add(files);
  }

  function onDrop(event: DragEvent<HTMLFormElement>) {
    const files = [...event.dataTransfer.files];
    if (files.length === 0 || ended) return;
    event.preventDefault();
    attachments.add(files);
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
    <form
      onSubmit={(event) => void send(event)}
      onDragOver={(event) => event.dataTransfer.types.includes('Files') && event.preventDefault()}
      onDrop={onDrop}
      className="border-t border-border bg-surface px-3 pt-2 vibes-safe-bottom"
    >
      <label htmlFor={fieldId} className="sr-only">
        Message to Claude
      </label>
      {(busyTurn || session.queued_inputs > 0) && (
        <p className="vibes-fold-when-short mb-1 text-xs text-muted" data-testid="queue-note">
          {session.queued_inputs > 0
            ? `${session.queued_inputs} input${session.queued_inputs === 1 ? '' : 's'} queued: sent when the turn ends`
            : session.state === 'waiting_permission'
              ? 'Claude waits for your answer above: a message sent now is queued until the turn ends'
              : 'Claude is working: what you send now is queued'}
        </p>
      )}
      {sheetOpen && <AttachSheet attachments={attachments} onClose={() => setSheetOpen(false)} />}
      <AttachmentTray attachments={attachments} />
      {slash.menu}
      <div className="flex items-end gap-2">
        <Button
          onClick={() => setSheetOpen((open) => !open)}
          disabled={ended || !clientId}
          aria-label="Attach images or files"
          aria-expanded={sheetOpen}
          data-testid="attach-button"
          className="px-3"
        >
          <PaperClipIcon className="h-5 w-5" />
        </Button>
        <Textarea
          {...slash.fieldProps}
          id={fieldId}
          data-testid="composer"
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          rows={1}
          disabled={ended || !clientId}
          placeholder={ended ? 'This session has ended' : 'Message Claude…'}
          className="max-h-40 min-h-11 flex-1 resize-none"
          enterKeyHint="send"
        />
        <Button type="submit" variant="primary" disabled={!canSend} data-testid="send-button">
          Send
        </Button>
      </div>
      <Problem className="mt-1 text-xs">{sending.error}</Problem>
    </form>
  );
}
