'use client';

import { useId, useState } from 'react';
import { ApiError } from '../../lib/client/shared/api-error.ts';
import type { DecisionDisplay, DecisionKind, PendingPermission, PermissionAnswerBody } from '../../lib/protocol/index.ts';
import { CodeWords } from './code-words.tsx';
import { useAsyncAction } from '../_hooks/use-async-action.ts';
import { useLive } from './live-provider.tsx';
import { QuestionForm } from './question-form.tsx';
import { CommandDetail, EditDetail, InputDetail, PlanText, ToolDetail } from './tool-view.tsx';

const TITLE: Record<DecisionKind, string> = { tool: '', question: 'Claude has a question', plan: 'Claude’s plan is ready' };

const TOOL_VERB: Record<string, string> = {
  Bash: 'run a command',
  Edit: 'edit a file',
  MultiEdit: 'edit a file',
  Write: 'write a file',
  NotebookEdit: 'edit a notebook',
  WebFetch: 'fetch a page',
};

function describeAnswerFailure(error: unknown): string {
  if (error instanceof ApiError && error.code === 'CONFLICT') return 'Someone else answered this request first.';
  if (error instanceof ApiError && error.code === 'NOT_FOUND') return 'This request is no longer pending.';
  return `Could not send the answer: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * The one place a request is answered: what Claude wants to do, shown so a person can judge it
 * (the diff, the whole command, the questions, the plan), with the choices Claude Code offers.
 */
export default function DecisionCard({
  sessionId,
  permission,
  cwd,
  compact = false,
}: {
  sessionId: string;
  permission: PendingPermission;
  cwd: string | null;
  compact?: boolean;
}) {
  const { api, watch } = useLive();
  const [message, setMessage] = useState('');
  const [sent, setSent] = useState(false);
  const messageId = useId();
  const kind = permission.kind;
  const suggestions = permission.suggestions;
  const [chosen, setChosen] = useState<boolean[]>(() => suggestions.map((_, index) => index === 0));

  const answering = useAsyncAction(async (fields: PermissionAnswerBody) => {
    // Only subscribers may answer: a card in the list may be of a session this tab does not watch yet.
    await watch(sessionId);
    await api.answerPermission(sessionId, permission.request_id, { ...fields, source: 'web' });
    // The card goes once the server says the request is resolved; until then it stays disabled.
    setSent(true);
  }, describeAnswerFailure);
  const busy = answering.busy || sent;
  const outcome = answering.error;
  const answer = answering.run;

  const withMessage = (behavior: 'allow' | 'deny'): PermissionAnswerBody => ({
    behavior,
    ...(message.trim() ? { message: message.trim() } : {}),
  });
  const label = permission.title ?? (TITLE[kind] || `Claude wants to ${TOOL_VERB[permission.tool_name] ?? `use ${permission.tool_name}`}`);

  return (
    <div
      data-testid="permission-prompt"
      data-kind={kind}
      data-tool={permission.tool_name}
      className="min-w-0 rounded-lg border-2 border-amber-500 bg-amber-50 p-3 text-sm dark:bg-amber-950/40"
      role="group"
      aria-label={`Permission request: ${label}`}
    >
      <p className="font-semibold">
        <span aria-hidden="true">⚠ </span>
        {label}
      </p>
      <div className="mt-2 min-w-0">
        {kind === 'question' ? (
          <QuestionForm
            questions={permission.display.type === 'question' ? permission.display.questions : []}
            busy={busy}
            onAnswer={(answers) => void answer({ behavior: 'allow', answers })}
            onDecline={() => void answer({ behavior: 'deny', message: 'The user chose not to answer.' })}
          />
        ) : kind === 'plan' ? (
          <PlanChoices
            plan={permission.display.type === 'plan' ? permission.display.plan : ''}
            tall={!compact}
            busy={busy}
            onAnswer={(body) => void answer(body)}
          />
        ) : (
          <>
            <DisplayDetail permission={permission} display={permission.display} cwd={cwd} />
            {permission.reason && <p className="mt-1 text-xs text-muted">{permission.reason}</p>}
            {!compact && (
              <details className="mt-1 text-xs">
                <summary className="flex min-h-11 cursor-pointer items-center text-muted">Add a message for Claude</summary>
                <label htmlFor={messageId} className="sr-only">
                  Message to Claude
                </label>
                <input
                  id={messageId}
                  value={message}
                  onChange={(event) => setMessage(event.target.value)}
                  className="vibes-input w-full"
                  autoComplete="off"
                />
              </details>
            )}
            <div className="mt-2 flex gap-2">
              <button
                type="button"
                disabled={busy}
                onClick={() => void answer(withMessage('allow'))}
                className="vibes-button vibes-button-primary flex-1"
              >
                Allow
              </button>
              <button type="button" disabled={busy} onClick={() => void answer(withMessage('deny'))} className="vibes-button flex-1">
                Deny
              </button>
            </div>
            {suggestions.length > 0 && (
              <fieldset
                className="mt-2 space-y-1 rounded-lg border border-neutral-300 p-2 dark:border-neutral-700"
                data-testid="allow-always"
              >
                <legend className="px-1 text-xs font-semibold">Don’t ask again</legend>
                {suggestions.map((suggestion, index) => (
                  <label key={suggestion.id} className="flex min-h-11 cursor-pointer items-center gap-2" data-testid="suggestion">
                    <input
                      type="checkbox"
                      checked={chosen[index] ?? false}
                      onChange={(event) =>
                        setChosen((current) => current.map((value, at) => (at === index ? event.target.checked : value)))
                      }
                      className="size-4 shrink-0 accent-violet-700"
                    />
                    <span className="min-w-0 break-words">
                      <CodeWords text={capitalized(suggestion.description)} />
                    </span>
                  </label>
                ))}
                <button
                  type="button"
                  disabled={busy || !chosen.some(Boolean)}
                  onClick={() =>
                    void answer({
                      ...withMessage('allow'),
                      suggestions: suggestions.filter((_, index) => chosen[index]).map((suggestion) => suggestion.id),
                    })
                  }
                  className="vibes-button w-full"
                >
                  Allow and don’t ask again
                </button>
              </fieldset>
            )}
          </>
        )}
      </div>
      {outcome && (
        <p role="alert" className="mt-2 text-xs text-danger-text">
          {outcome}
        </p>
      )}
    </div>
  );
}

/** ExitPlanMode's choices, as Claude Code offers them. */
function PlanChoices({
  plan,
  tall,
  busy,
  onAnswer,
}: {
  plan: string;
  tall: boolean;
  busy: boolean;
  onAnswer: (body: PermissionAnswerBody) => void;
}) {
  const [feedback, setFeedback] = useState('');
  const feedbackId = useId();
  return (
    <div className="space-y-2">
      <PlanText plan={plan} tall={tall} />
      <button
        type="button"
        disabled={busy}
        onClick={() => onAnswer({ behavior: 'allow', mode: 'acceptEdits' })}
        className="vibes-button vibes-button-primary w-full"
        data-testid="plan-accept-edits"
      >
        Approve and auto-accept edits
      </button>
      <button
        type="button"
        disabled={busy}
        onClick={() => onAnswer({ behavior: 'allow', mode: 'default' })}
        className="vibes-button w-full"
        data-testid="plan-review-edits"
      >
        Approve, review each edit
      </button>
      <details className="rounded-lg border border-neutral-300 px-2 dark:border-neutral-700" data-testid="plan-feedback">
        <summary className="flex min-h-11 cursor-pointer items-center text-sm font-semibold">Keep planning, with feedback…</summary>
        <label htmlFor={feedbackId} className="block text-xs text-muted">
          What should Claude change in the plan?
        </label>
        <textarea
          id={feedbackId}
          value={feedback}
          onChange={(event) => setFeedback(event.target.value)}
          rows={2}
          className="vibes-input mt-1 w-full"
        />
        <button
          type="button"
          disabled={busy || !feedback.trim()}
          onClick={() => onAnswer({ behavior: 'deny', message: feedback.trim() })}
          className="vibes-button my-2 w-full"
          data-testid="plan-keep-planning"
        >
          Keep planning
        </button>
      </details>
    </div>
  );
}

// The server words each offer with its scope ("... for this session"), ready to show as a sentence.
const capitalized = (text: string) => (text ? `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}` : text);

/** What the server prepared for this request: a diff, a command with its folder, or the input. */
function DisplayDetail({ permission, display, cwd }: { permission: PendingPermission; display: DecisionDisplay; cwd: string | null }) {
  switch (display.type) {
    case 'diff':
      return <EditDetail name={permission.tool_name} input={permission.input} diff={display.diff} />;
    case 'command':
      // Claude Code often titles a command by its description: say it once.
      return (
        <CommandDetail
          command={display.command}
          description={display.description === permission.title ? null : display.description}
          cwd={display.cwd || cwd}
        />
      );
    case 'input':
      return <ToolDetail name={permission.tool_name} input={permission.input} diff={null} answers={null} />;
    default:
      return <InputDetail input={permission.input} />;
  }
}
