'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../../lib/client/shared/api-error.ts';
import type { DecisionDisplay, DecisionKind, PendingPermission, PermissionAnswerBody } from '../../lib/protocol/index.ts';
import { CodeWords } from './code-words.tsx';
import { useAsyncAction } from '../_hooks/use-async-action.ts';
import { useLive } from './live-provider.tsx';
import { QuestionForm } from './question-form.tsx';
import { DecisionBar } from './decision-bar.tsx';
import { Markdown } from './markdown.tsx';
import { Button } from './ui/button.tsx';
import { Input, Textarea } from './ui/field.tsx';
import { CommandDetail, EditDetail, InputDetail, ToolDetail } from './tool-view.tsx';
import { errorMessage } from '../../lib/protocol/text.ts';

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
  return `Could not send the answer: ${errorMessage(error)}`;
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
      className="min-w-0 rounded-lg border-2 border-warning bg-warning-soft p-3 text-sm"
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
            problem={outcome}
            onAnswer={(answers) => void answer({ behavior: 'allow', answers })}
            onDecline={() => void answer({ behavior: 'deny', message: 'The user chose not to answer.' })}
          />
        ) : kind === 'plan' ? (
          <PlanChoices
            plan={permission.display.type === 'plan' ? permission.display.plan : ''}
            busy={busy}
            problem={outcome}
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
                <Input
                  id={messageId}
                  value={message}
                  onChange={(event) => setMessage(event.target.value)}
                  className="w-full"
                  autoComplete="off"
                />
              </details>
            )}
            {suggestions.length > 0 && (
              <fieldset className="mt-2 space-y-1 rounded-lg border border-border-strong p-2" data-testid="allow-always">
                <legend className="px-1 text-xs font-semibold">Don’t ask again</legend>
                {suggestions.map((suggestion, index) => (
                  <label key={suggestion.id} className="flex min-h-11 cursor-pointer items-center gap-2" data-testid="suggestion">
                    <input
                      type="checkbox"
                      checked={chosen[index] ?? false}
                      onChange={(event) =>
                        setChosen((current) => current.map((value, at) => (at === index ? event.target.checked : value)))
                      }
                      className="size-4 shrink-0 accent-accent"
                    />
                    <span className="min-w-0 break-words">
                      <CodeWords text={capitalized(suggestion.description)} />
                    </span>
                  </label>
                ))}
                <Button
                  disabled={busy || !chosen.some(Boolean)}
                  onClick={() =>
                    void answer({
                      ...withMessage('allow'),
                      suggestions: suggestions.filter((_, index) => chosen[index]).map((suggestion) => suggestion.id),
                    })
                  }
                  className="w-full"
                >
                  Allow and don’t ask again
                </Button>
              </fieldset>
            )}
            <DecisionBar sticky={!compact} problem={outcome}>
              <div className="flex gap-2">
                <Button variant="primary" disabled={busy} onClick={() => void answer(withMessage('allow'))} className="flex-1">
                  Allow
                </Button>
                <Button disabled={busy} onClick={() => void answer(withMessage('deny'))} className="flex-1">
                  Deny
                </Button>
              </div>
            </DecisionBar>
          </>
        )}
      </div>
    </div>
  );
}

/**
 * ExitPlanMode's choices, as Claude Code offers them: approve with auto-accepted edits, approve and
 * review each edit, or keep planning with feedback (the feedback field takes the bar's place).
 */
function PlanChoices({
  plan,
  busy,
  problem,
  onAnswer,
}: {
  plan: string;
  busy: boolean;
  problem: string | null;
  onAnswer: (body: PermissionAnswerBody) => void;
}) {
  const [feedback, setFeedback] = useState('');
  const [writing, setWriting] = useState(false);
  const feedbackId = useId();
  const field = useRef<HTMLTextAreaElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const wrote = useRef(false);
  // Focus follows the bar's content: into the field when it opens, back to its button when it closes.
  useEffect(() => {
    if (writing) field.current?.focus();
    else if (wrote.current) opener.current?.focus();
    wrote.current ||= writing;
  }, [writing]);
  return (
    <>
      {/* No box of its own that scrolls: the decision panel scrolls the plan, the bar stays. */}
      <div
        data-testid="plan"
        role="region"
        aria-label="Plan"
        className="min-w-0 rounded border border-border bg-surface p-3 text-sm text-fg"
      >
        <Markdown source={plan} />
      </div>
      <DecisionBar sticky problem={problem}>
        <div className={writing ? 'hidden' : 'grid grid-cols-2 gap-2'}>
          <Button
            variant="primary"
            disabled={busy}
            onClick={() => onAnswer({ behavior: 'allow', mode: 'acceptEdits' })}
            className="col-span-2"
            data-testid="plan-accept-edits"
          >
            Approve and auto-accept edits
          </Button>
          <Button
            disabled={busy}
            onClick={() => onAnswer({ behavior: 'allow', mode: 'default' })}
            className="py-1"
            data-testid="plan-review-edits"
          >
            Approve, review each edit
          </Button>
          <Button
            ref={opener}
            disabled={busy}
            onClick={() => setWriting(true)}
            aria-expanded={writing}
            aria-controls={feedbackId}
            className="py-1"
            data-testid="plan-feedback"
          >
            Keep planning…
          </Button>
        </div>
        <div id={feedbackId} hidden={!writing}>
          <label htmlFor={`${feedbackId}-text`} className="block text-xs text-muted">
            What should Claude change in the plan?
          </label>
          <Textarea
            ref={field}
            id={`${feedbackId}-text`}
            value={feedback}
            onChange={(event) => setFeedback(event.target.value)}
            rows={2}
            className="mt-1 w-full"
          />
          <div className="mt-1 flex gap-2">
            <Button
              variant="primary"
              disabled={busy || !feedback.trim()}
              onClick={() => onAnswer({ behavior: 'deny', message: feedback.trim() })}
              className="flex-1"
              data-testid="plan-keep-planning"
            >
              Keep planning
            </Button>
            <Button disabled={busy} onClick={() => setWriting(false)} className="flex-1">
              Back
            </Button>
          </div>
        </div>
      </DecisionBar>
    </>
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
