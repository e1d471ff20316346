import { memo, useState } from 'react';
import type { PermissionOutcome, TranscriptItem } from '../../lib/client/shared/transcript.ts';
import { resultText, summarizeInput } from '../../lib/protocol/tool-input.ts';
import { Markdown } from './markdown.tsx';
import { ToolDetail } from './tool-view.tsx';
import { Button } from './ui/button.tsx';
import { CLAUDE_CLIENT_ID } from '../../lib/protocol/rules.ts';
import { DECISION_WAIT } from '../../lib/protocol/labels.ts';
import type { Attachment, DecisionKind } from '../../lib/protocol/index.ts';
import { plural } from '../../lib/client/shared/work-labels.ts';
import { undoBlocked, useWorkActions } from './work/work-actions.tsx';
import { attachmentPath } from '../../lib/client/shared/api-calls.ts';
import { attachmentLabel } from '../../lib/client/shared/labels.ts';
import { FileIcon } from './attachment-tray.tsx';

const SOURCE_LABEL = { cli: 'CLI', web: 'web', api: 'API' } as const;

/** Images as thumbnails (fetched by URL, never through the event stream), other files as named links. */
function Attachments({ sessionId, attachments }: { sessionId: string; attachments: readonly Attachment[] }) {
  return (
    <ul className="my-1 flex flex-wrap gap-1.5" data-testid="attachments">
      {attachments.map((attachment) => {
        const url = attachmentPath(sessionId, attachment.id);
        return (
          <li key={attachment.id}>
            <a href={url} target="_blank" rel="noreferrer" title={attachmentLabel(attachment)} className="block">
              {attachment.kind === 'image' ? (
                <img
                  src={url}
                  alt={attachment.name}
                  data-testid="attachment-thumbnail"
                  loading="lazy"
                  width={attachment.width}
                  height={attachment.height}
                  className="h-24 w-auto max-w-[10rem] rounded-lg bg-accent-fg/20 object-cover"
                />
              ) : (
                <span className="flex min-h-11 items-center gap-1 rounded-lg bg-accent-fg/20 px-2 text-sm" data-testid="attachment-file">
                  <FileIcon className="h-5 w-5" /> {attachment.name}
                </span>
              )}
            </a>
          </li>
        );
      })}
    </ul>
  );
}

/** One transcript row; memoised by item identity, so a streamed delta re-renders only its own row. */
export const TranscriptRow = memo(function TranscriptRow({
  item,
  clientId,
  sessionId,
  quiet = false,
}: {
  item: TranscriptItem;
  clientId: string | null;
  sessionId: string;
  /** A failed turn whose result the failure below says again: the result is left out. */
  quiet?: boolean;
}) {
  switch (item.kind) {
    case 'user': {
      const mine = item.clientId === clientId;
      return (
        <div className="flex flex-col items-end" data-testid="user-input" data-message-id={item.messageId ?? undefined}>
          <div className="max-w-[85%] rounded-2xl bg-accent px-3 py-2 text-accent-fg">
            <p className="mb-0.5 text-[11px] font-semibold uppercase tracking-wide opacity-85">
              {mine ? 'You' : 'Input'} · {SOURCE_LABEL[item.source]}
              {item.queued && (
                <span data-testid="queued" className="ml-1.5 rounded bg-accent-fg/25 px-1.5 py-px normal-case">
                  queued
                </span>
              )}
            </p>
            {item.attachments.length > 0 && <Attachments sessionId={sessionId} attachments={item.attachments} />}
            {item.content !== '' && <p className="whitespace-pre-wrap break-words">{item.content}</p>}
          </div>
          {!item.queued && <UserActions item={item} />}
        </div>
      );
    }
    case 'text':
      return (
        <div data-testid="assistant-text" data-streaming={item.streaming ? 'true' : 'false'} data-message-id={item.messageId}>
          <Markdown source={item.text} />
          {item.streaming && (
            <span className="vibes-pulse text-accent" aria-label="still writing">
              ▍
            </span>
          )}
        </div>
      );
    case 'thinking':
      return (
        <details className="rounded-lg border border-border px-3 py-1 text-sm text-muted">
          <summary className="min-h-11 cursor-pointer content-center">Thinking</summary>
          <p className="whitespace-pre-wrap pb-2">{item.text}</p>
        </details>
      );
    case 'tool':
      return <ToolRow item={item} clientId={clientId} />;
    case 'permission':
      return (
        <p className="flex min-w-0 gap-1 text-sm text-muted" data-testid="permission-item">
          <span aria-hidden="true">⚠</span>
          <span className="min-w-0 flex-1 truncate">
            {item.title ?? `${item.toolName} asked for permission`}: <code>{summarizeInput(item.toolName, item.input)}</code>
          </span>
          <DecisionNote outcome={item.resolved} waitingFor={item.waitingFor} clientId={clientId} />
        </p>
      );
    case 'turn':
      return (
        <div
          data-testid="turn-complete"
          className={`flex flex-wrap items-center gap-x-2 border-t border-dashed pt-1 text-xs ${
            item.isError ? 'border-danger text-danger-text' : 'border-border-strong text-muted'
          }`}
        >
          <span>
            {item.isError ? 'Turn failed' : 'Turn done'} · {(item.durationMs / 1000).toFixed(1)} s · ${item.costUsd.toFixed(4)}
            {item.isError && item.result && !quiet ? ` · ${item.result}` : ''}
          </span>
          <TurnFilesButton item={item} />
        </div>
      );
    case 'error':
      return (
        <p role="alert" className="rounded-lg border border-danger bg-danger-soft p-2 text-sm text-danger-text">
          <span aria-hidden="true">✕ </span>
          {item.message}
        </p>
      );
    case 'system':
      return (
        <p className="break-words text-xs text-muted" data-testid="system-note" data-subtype={item.subtype}>
          {item.text}
        </p>
      );
  }
});

/** Under a user message: what its turn changed, and undo (the files back to before it). */
function UserActions({ item }: { item: Extract<TranscriptItem, { kind: 'user' }> }) {
  const work = useWorkActions();
  const [why, setWhy] = useState(false);
  if (!work) return null;
  const blocked = undoBlocked(work.session);
  const { messageId } = item;
  return (
    <div className="flex flex-wrap items-center justify-end" data-testid="user-actions">
      <Button
        variant="ghost"
        size="sm"
        className="text-accent-text"
        onClick={() => work.showTurn(item.seq)}
        data-testid="show-turn-changes"
      >
        What changed
      </Button>
      {messageId && (
        <Button
          variant="ghost"
          size="sm"
          className={`text-accent-text ${blocked ? 'opacity-50' : ''}`}
          aria-disabled={blocked !== null}
          title={blocked ?? 'Put the files back as they were before this message'}
          onClick={() => (blocked ? setWhy(true) : work.undoFrom(messageId, item.content))}
          data-testid="undo-from-here"
        >
          Undo from here
        </Button>
      )}
      {why && blocked && (
        <p className="w-full text-right text-xs text-muted" role="status" data-testid="undo-blocked">
          Undo waits: {blocked}.
        </p>
      )}
    </div>
  );
}

/** On a finished turn: how many files it changed, a tap away from their diffs. */
function TurnFilesButton({ item }: { item: Extract<TranscriptItem, { kind: 'turn' }> }) {
  const work = useWorkActions();
  const files = item.changedFiles ?? [];
  const { startSeq } = item;
  if (!work || files.length === 0 || startSeq === null) return null;
  const byCommand = files.filter((file) => file.source === 'other').length;
  return (
    <Button variant="ghost" size="sm" className="text-accent-text" onClick={() => work.showTurn(startSeq)} data-testid="turn-files">
      {plural(files.length, 'file')} changed{byCommand > 0 ? ` (${byCommand} by commands)` : ''}
    </Button>
  );
}

type ToolItem = Extract<TranscriptItem, { kind: 'tool' }>;

function toolStatus(item: ToolItem): { word: string; tone: string } {
  if (item.approval && !item.approval.resolved)
    return { word: DECISION_WAIT[item.approval.waitingFor].row, tone: 'text-warning-text font-semibold' };
  if (item.result?.isError) return { word: item.approval?.resolved?.behavior === 'deny' ? 'denied' : 'failed', tone: 'text-danger-text' };
  if (item.result) return { word: 'done', tone: 'text-muted' };
  return { word: 'running', tone: 'text-success-text' };
}

/** A tool call in one row: what it does, whether it waits for approval, and once answered, who decided. */
function ToolRow({ item, clientId }: { item: ToolItem; clientId: string | null }) {
  const status = toolStatus(item);
  const summary = summarizeInput(item.name, item.input);
  return (
    <details
      data-testid="tool-call"
      data-tool={item.name}
      data-status={status.word}
      open={item.result?.isError === true && !item.approval?.resolved}
      className={`min-w-0 rounded-lg border px-3 py-1 text-sm ${item.nested ? 'ml-4' : ''} ${
        item.approval && !item.approval.resolved ? 'border-warning' : status.word === 'failed' ? 'border-danger' : 'border-border'
      }`}
    >
      <summary className="flex min-h-11 min-w-0 cursor-pointer list-none flex-col justify-center py-1 [&::-webkit-details-marker]:hidden">
        <span className="flex min-w-0 items-baseline gap-2">
          <span className="font-semibold">{item.name}</span>
          <span className={`text-xs ${status.tone}`} data-testid="tool-status">
            {status.word}
          </span>
        </span>
        {summary && <span className="block min-w-0 truncate font-mono text-xs text-muted">{summary}</span>}
        {item.approval?.resolved && <DecisionNote outcome={item.approval.resolved} clientId={clientId} />}
      </summary>
      <div className="min-w-0 space-y-2 pb-2 pt-1">
        <ToolDetail
          name={item.name}
          input={item.input}
          diff={item.result?.diff ?? null}
          answers={item.approval?.resolved?.answers ?? null}
        />
        {item.result && (
          <>
            <p className="text-xs font-semibold">{item.result.isError ? 'Error' : 'Result'}</p>
            <pre className="vibes-pre">{resultText(item.result.content)}</pre>
          </>
        )}
      </div>
    </details>
  );
}

/** Who settled a request and what they chose: "allowed by you", "denied on Pixel 7: not now", "withdrawn by Claude". */
export function DecisionNote({
  outcome,
  waitingFor = 'tool',
  clientId,
}: {
  outcome: PermissionOutcome | null;
  waitingFor?: DecisionKind;
  clientId: string | null;
}) {
  if (!outcome) return <span className="shrink-0 text-warning-text">{DECISION_WAIT[waitingFor].row}</span>;
  const allowed = outcome.behavior === 'allow';
  const details = [
    outcome.mode ? (outcome.mode === 'acceptEdits' ? 'edits auto-accepted' : 'edits reviewed by hand') : null,
    outcome.answers ? Object.values(outcome.answers).join('; ') : null,
    outcome.appliedSuggestions.length > 0 ? `won’t ask again: ${outcome.appliedSuggestions.join('; ')}` : null,
    outcome.message,
  ].filter(Boolean);
  return (
    <span
      data-testid="decision"
      data-behavior={outcome.behavior}
      className={`block min-w-0 truncate text-xs ${allowed ? 'text-success-text' : 'text-danger-text'}`}
      title={details.join(' · ') || undefined}
    >
      {outcome.clientId === CLAUDE_CLIENT_ID ? 'withdrawn by Claude' : `${allowed ? 'allowed' : 'denied'} ${decidedBy(outcome, clientId)}`}
      {details.length > 0 ? `: ${details.join(' · ')}` : ''}
    </span>
  );
}

function decidedBy(outcome: PermissionOutcome, clientId: string | null): string {
  if (outcome.clientId === clientId) return 'by you';
  if (outcome.device) return `on ${outcome.device}`;
  if (outcome.source === 'cli') return 'from the CLI';
  if (outcome.source === 'api') return 'through the API';
  return 'on another device';
}
