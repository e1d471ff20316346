import { memo } from 'react';
import type { TranscriptItem } from '../../lib/client/shared/transcript.ts';
import { Markdown } from './markdown.tsx';
import { summarizeInput } from '../../lib/client/shared/labels.ts';
import { CLAUDE_CLIENT_ID } from '../../lib/protocol/rules.ts';

const SOURCE_LABEL = { cli: 'CLI', web: 'web', api: 'API' } as const;

function pretty(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((part) => part && typeof part === 'object' && 'text' in part)) {
    return value.map((part: { text: unknown }) => String(part.text)).join('\n');
  }
  return JSON.stringify(value, null, 2) ?? '';
}

/** One transcript row; memoised by item identity, so a streamed delta re-renders only its own row. */
export const TranscriptRow = memo(function TranscriptRow({ item, clientId }: { item: TranscriptItem; clientId: string | null }) {
  switch (item.kind) {
    case 'user': {
      const mine = item.clientId === clientId;
      return (
        <div className="flex justify-end" data-testid="user-input">
          <div className="max-w-[85%] rounded-2xl bg-violet-600 px-3 py-2 text-white">
            <p className="mb-0.5 text-[11px] font-semibold uppercase tracking-wide text-violet-100">
              {mine ? 'You' : 'Input'} · {SOURCE_LABEL[item.source]}
              {item.queued && (
                <span data-testid="queued" className="ml-1.5 rounded bg-white/25 px-1.5 py-px normal-case">
                  queued
                </span>
              )}
            </p>
            <p className="whitespace-pre-wrap break-words">{item.content}</p>
          </div>
        </div>
      );
    }
    case 'text':
      return (
        <div data-testid="assistant-text" data-streaming={item.streaming ? 'true' : 'false'} data-message-id={item.messageId}>
          <Markdown source={item.text} />
          {item.streaming && (
            <span className="vibes-pulse text-violet-600" aria-label="still writing">
              ▍
            </span>
          )}
        </div>
      );
    case 'thinking':
      return (
        <details className="rounded-lg border border-neutral-200 px-3 py-1 text-sm text-neutral-600 dark:border-neutral-800 dark:text-neutral-400">
          <summary className="min-h-11 cursor-pointer content-center">Thinking</summary>
          <p className="whitespace-pre-wrap pb-2">{item.text}</p>
        </details>
      );
    case 'tool': {
      const status = item.result ? (item.result.isError ? 'failed' : 'done') : 'running';
      return (
        <details
          data-testid="tool-call"
          open={item.result?.isError ?? false}
          className={`rounded-lg border px-3 py-1 text-sm ${item.nested ? 'ml-4' : ''} ${
            status === 'failed' ? 'border-red-400' : 'border-neutral-200 dark:border-neutral-800'
          }`}
        >
          <summary className="min-h-11 cursor-pointer content-center">
            <span className="font-semibold">{item.name}</span>{' '}
            <span className="font-mono text-xs text-neutral-600 dark:text-neutral-400">{summarizeInput(item.input).slice(0, 120)}</span>{' '}
            <span className="text-xs">({status})</span>
          </summary>
          <p className="mt-1 text-xs font-semibold">Input</p>
          <pre className="vibes-pre">{pretty(item.input)}</pre>
          {item.result && (
            <>
              <p className="mt-1 text-xs font-semibold">{item.result.isError ? 'Error' : 'Result'}</p>
              <pre className="vibes-pre mb-2">{pretty(item.result.content)}</pre>
            </>
          )}
        </details>
      );
    }
    case 'permission':
      return (
        <p className="text-sm text-neutral-700 dark:text-neutral-300" data-testid="permission-item">
          <span aria-hidden="true">⚠ </span>
          {item.title ?? `${item.toolName} asked for permission`}: <code className="break-all">{summarizeInput(item.input)}</code>
          {item.resolved ? (
            <span className={item.resolved.behavior === 'allow' ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}>
              {' '}
              — {item.resolved.behavior === 'allow' ? 'allowed' : 'denied'}
              {item.resolved.clientId === clientId ? ' by you' : item.resolved.clientId === CLAUDE_CLIENT_ID ? ' (withdrawn)' : ''}
              {item.resolved.message ? `: ${item.resolved.message}` : ''}
            </span>
          ) : (
            <span> — waiting</span>
          )}
        </p>
      );
    case 'turn':
      return (
        <p
          data-testid="turn-complete"
          className={`border-t border-dashed pt-1 text-xs ${
            item.isError ? 'border-red-400 text-red-700 dark:text-red-300' : 'border-neutral-300 text-neutral-500 dark:border-neutral-700'
          }`}
        >
          {item.isError ? 'Turn failed' : 'Turn done'} · {(item.durationMs / 1000).toFixed(1)} s · ${item.costUsd.toFixed(4)}
          {item.isError && item.result ? ` · ${item.result}` : ''}
        </p>
      );
    case 'error':
      return (
        <p role="alert" className="rounded-lg border border-red-400 bg-red-50 p-2 text-sm text-red-800 dark:bg-red-950/40 dark:text-red-200">
          <span aria-hidden="true">✕ </span>
          {item.message}
        </p>
      );
    case 'system':
      return (
        <p className="text-xs text-neutral-500">
          {item.subtype}
          {item.detail ? ` · ${item.detail}` : ''}
        </p>
      );
  }
});
