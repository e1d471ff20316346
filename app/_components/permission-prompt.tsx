'use client';

import { useId, useState } from 'react';
import { ApiError } from '../../lib/client/shared/api-error.ts';
import { summarizeInput } from '../../lib/client/shared/labels.ts';
import type { PendingPermission, PermissionBehavior } from '../../lib/protocol/index.ts';
import { useLive } from './live-provider.tsx';

/** Allow / Deny for one pending request, with an optional message when not compact. */
export function PermissionPrompt({
  sessionId,
  permission,
  compact = false,
}: {
  sessionId: string;
  permission: PendingPermission;
  compact?: boolean;
}) {
  const { api, noteError } = useLive();
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const messageId = useId();

  async function answer(behavior: PermissionBehavior) {
    setBusy(true);
    setOutcome(null);
    const body = { behavior, ...(message.trim() ? { message: message.trim() } : {}) };
    try {
      try {
        await api.answerPermission(sessionId, permission.request_id, body);
      } catch (error) {
        // Answering from a card of a session this tab does not watch yet: watch it, then answer.
        if (!(error instanceof ApiError && error.code === 'NOT_SUBSCRIBED')) throw error;
        await api.subscribe(sessionId);
        await api.answerPermission(sessionId, permission.request_id, body);
      }
    } catch (error) {
      noteError(error);
      if (error instanceof ApiError && error.code === 'CONFLICT') setOutcome('Someone else answered this request first.');
      else if (error instanceof ApiError && error.code === 'NOT_FOUND') setOutcome('This request is no longer pending.');
      else setOutcome(`Could not send the answer: ${error instanceof Error ? error.message : String(error)}`);
      setBusy(false);
    }
  }

  const label = permission.title ?? `${permission.tool_name} wants to run`;
  return (
    <div
      data-testid="permission-prompt"
      className="rounded-lg border-2 border-amber-500 bg-amber-50 p-3 text-sm dark:bg-amber-950/40"
      role="group"
      aria-label={`Permission request: ${label}`}
    >
      <p className="font-semibold">
        <span aria-hidden="true">⚠ </span>
        {label}
      </p>
      <p className="mt-1 break-all font-mono text-xs">{summarizeInput(permission.input)}</p>
      {!compact && (
        <div className="mt-2">
          <label htmlFor={messageId} className="block text-xs text-neutral-700 dark:text-neutral-300">
            Message to Claude (optional)
          </label>
          <input
            id={messageId}
            value={message}
            onChange={(event) => setMessage(event.target.value)}
            className="vibes-input mt-1 w-full"
            autoComplete="off"
          />
        </div>
      )}
      <div className="mt-2 flex gap-2">
        <button type="button" disabled={busy} onClick={() => void answer('allow')} className="vibes-button vibes-button-primary flex-1">
          Allow
        </button>
        <button type="button" disabled={busy} onClick={() => void answer('deny')} className="vibes-button flex-1">
          Deny
        </button>
      </div>
      {outcome && (
        <p role="alert" className="mt-2 text-xs text-red-700 dark:text-red-300">
          {outcome}
        </p>
      )}
    </div>
  );
}
