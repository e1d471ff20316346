'use client';

import { useId, useState } from 'react';
import { ApiError } from '../../lib/client/api-error.ts';
import { describeSuggestion, type PermissionSuggestion } from '../../lib/client/permission-rule.ts';
import { questionsOf, stringField, summarizeInput } from '../../lib/client/tool-input.ts';
import type { PendingPermission, PermissionAnswerBody } from '../../lib/protocol/index.ts';
import { CodeWords } from './code-words.tsx';
import type { DiffRow } from './diff-view.tsx';
import { useLive } from './live-provider.tsx';
import { QuestionForm } from './question-form.tsx';
import { PlanText, ToolDetail } from './tool-view.tsx';

type DecisionKind = 'tool' | 'question' | 'plan';

export function decisionKind(permission: PendingPermission): DecisionKind {
  if (permission.tool_name === 'AskUserQuestion') return 'question';
  if (permission.tool_name === 'ExitPlanMode') return 'plan';
  return 'tool';
}

const TITLE: Record<DecisionKind, string> = { tool: '', question: 'Claude has a question', plan: 'Claude’s plan is ready' };

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
  const { api, noteError } = useLive();
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const messageId = useId();
  const kind = decisionKind(permission);
  const suggestions = suggestionsOf(permission);
  const [chosen, setChosen] = useState<boolean[]>(() => suggestions.map((_, index) => index === 0));

  async function answer(body: PermissionAnswerBody) {
    setBusy(true);
    setOutcome(null);
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

  const withMessage = (behavior: 'allow' | 'deny'): PermissionAnswerBody => ({
    behavior,
    ...(message.trim() ? { message: message.trim() } : {}),
  });
  const label = permission.title ?? (TITLE[kind] || `${permission.tool_name} wants to run`);

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
            questions={questionsOf(permission.input)}
            busy={busy}
            onAnswer={(answers) => void answer({ behavior: 'allow', ...updatedInput({ ...permission.input, answers }) })}
            onDecline={() => void answer({ behavior: 'deny', message: 'The user chose not to answer.' })}
          />
        ) : kind === 'plan' ? (
          <PlanChoices plan={stringField(permission.input, 'plan')} tall={!compact} busy={busy} onAnswer={(body) => void answer(body)} />
        ) : (
          <>
            <ToolDetail name={permission.tool_name} input={permission.input} diff={diffOf(permission)} cwd={cwd} />
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
              <button type="button" disabled={busy} onClick={() => void answer(withMessage('allow'))} className="vibes-button vibes-button-primary flex-1">
                Allow
              </button>
              <button type="button" disabled={busy} onClick={() => void answer(withMessage('deny'))} className="vibes-button flex-1">
                Deny
              </button>
            </div>
            {suggestions.length > 0 && (
              <fieldset className="mt-2 space-y-1 rounded-lg border border-neutral-300 p-2 dark:border-neutral-700" data-testid="allow-always">
                <legend className="px-1 text-xs font-semibold">Don’t ask again</legend>
                {suggestions.map((suggestion, index) => (
                  <label key={index} className="flex min-h-11 cursor-pointer items-center gap-2" data-testid="suggestion">
                    <input
                      type="checkbox"
                      checked={chosen[index] ?? false}
                      onChange={(event) => setChosen((current) => current.map((value, at) => (at === index ? event.target.checked : value)))}
                      className="size-4 shrink-0 accent-violet-700"
                    />
                    <span className="min-w-0 break-words">
                      <CodeWords text={describeSuggestion(suggestion)} />
                    </span>
                  </label>
                ))}
                <button
                  type="button"
                  disabled={busy || !chosen.some(Boolean)}
                  onClick={() =>
                    void answer({ ...withMessage('allow'), ...updatedPermissions(suggestions.filter((_, index) => chosen[index])) })
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
        <p role="alert" className="mt-2 text-xs text-red-700 dark:text-red-300">
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
        onClick={() => onAnswer({ behavior: 'allow', ...planMode('acceptEdits') })}
        className="vibes-button vibes-button-primary w-full"
        data-testid="plan-accept-edits"
      >
        Approve and auto-accept edits
      </button>
      <button
        type="button"
        disabled={busy}
        onClick={() => onAnswer({ behavior: 'allow', ...planMode('default') })}
        className="vibes-button w-full"
        data-testid="plan-review-edits"
      >
        Approve, review each edit
      </button>
      <label htmlFor={feedbackId} className="block text-xs text-neutral-700 dark:text-neutral-300">
        Or tell Claude what to change
      </label>
      <textarea id={feedbackId} value={feedback} onChange={(event) => setFeedback(event.target.value)} rows={2} className="vibes-input w-full" />
      <button
        type="button"
        disabled={busy || !feedback.trim()}
        onClick={() => onAnswer({ behavior: 'deny', message: feedback.trim() })}
        className="vibes-button w-full"
        data-testid="plan-keep-planning"
      >
        Keep planning
      </button>
    </div>
  );
}

/** The one line a person needs to decide, for places too small for the whole card. */
export function decisionSummary(permission: PendingPermission): string {
  return summarizeInput(permission.tool_name, permission.input);
}

// The wire fields below follow the protocol's decision shapes; see lib/protocol.
function suggestionsOf(permission: PendingPermission): PermissionSuggestion[] {
  const value = (permission as { suggestions?: unknown }).suggestions;
  return Array.isArray(value) ? (value as PermissionSuggestion[]) : [];
}

function diffOf(permission: PendingPermission): DiffRow[] | null {
  const value = (permission as { diff?: unknown }).diff;
  return Array.isArray(value) ? (value as DiffRow[]) : null;
}

function updatedInput(input: Record<string, unknown>): Partial<PermissionAnswerBody> {
  return { updated_input: input } as Partial<PermissionAnswerBody>;
}

function updatedPermissions(suggestions: PermissionSuggestion[]): Partial<PermissionAnswerBody> {
  return { updated_permissions: suggestions } as Partial<PermissionAnswerBody>;
}

function planMode(mode: 'acceptEdits' | 'default'): Partial<PermissionAnswerBody> {
  return { permission_mode: mode } as Partial<PermissionAnswerBody>;
}
