import { memo } from 'react';
import {
  answersOf,
  editChanges,
  editedPath,
  EDIT_TOOLS,
  questionsOf,
  stringField,
  todosOf,
  type EditChange,
} from '../../lib/client/tool-input.ts';
import { DiffView, type DiffRow } from './diff-view.tsx';
import { Markdown } from './markdown.tsx';
import { TodoList } from './todo-list.tsx';

/** A diff from the input alone: what goes out and what comes in, numbered only where the input tells (a new file's lines). */
export function rowsFromChanges(name: string, changes: readonly EditChange[]): DiffRow[] {
  const rows: DiffRow[] = [];
  const numbered = name === 'Write';
  changes.forEach((change, index) => {
    if (index > 0) rows.push({ kind: 'gap', text: '', oldLine: null, newLine: null });
    for (const line of splitLines(change.oldText)) rows.push({ kind: 'remove', text: line, oldLine: null, newLine: null });
    splitLines(change.newText).forEach((line, at) => rows.push({ kind: 'add', text: line, oldLine: null, newLine: numbered ? at + 1 : null }));
  });
  return rows;
}

function splitLines(value: string): string[] {
  if (value === '') return [];
  const lines = value.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** What a tool call does, shown the way a person checks it: commands as code, edits as diffs, plans as Markdown. */
export const ToolDetail = memo(function ToolDetail({
  name,
  input,
  diff,
  cwd,
  result,
}: {
  name: string;
  input: unknown;
  /** The server's diff, with context from the file; without it the diff is read from the input. */
  diff?: readonly DiffRow[] | null;
  cwd?: string | null;
  result?: unknown;
}) {
  if (name === 'Bash') return <CommandDetail input={input} cwd={cwd ?? null} />;
  if (EDIT_TOOLS.has(name)) {
    const rows = diff ?? rowsFromChanges(name, editChanges(name, input));
    const path = editedPath(input);
    return (
      <div className="space-y-1">
        <p className="overflow-x-auto whitespace-nowrap font-mono text-xs" data-testid="edit-path">
          {path}
        </p>
        <DiffView rows={rows} label={`Changes to ${path}`} />
      </div>
    );
  }
  if (name === 'ExitPlanMode') return <PlanText plan={stringField(input, 'plan')} />;
  if (name === 'TodoWrite') return <TodoList todos={todosOf(input)} />;
  if (name === 'AskUserQuestion') return <QuestionsRead input={input} answers={answersOf(result)} />;
  return <pre className="vibes-code">{JSON.stringify(input, null, 2) ?? ''}</pre>;
});

export function CommandDetail({ input, cwd }: { input: unknown; cwd: string | null }) {
  const description = stringField(input, 'description');
  return (
    <div className="space-y-1" data-testid="command">
      {description && <p className="text-sm">{description}</p>}
      <pre className="vibes-code" tabIndex={0} aria-label="Command" data-testid="command-text">
        {stringField(input, 'command')}
      </pre>
      {cwd && (
        <p className="overflow-x-auto whitespace-nowrap text-xs text-neutral-700 dark:text-neutral-300">
          in <span className="font-mono">{cwd}</span>
        </p>
      )}
    </div>
  );
}

export function PlanText({ plan, tall = false }: { plan: string; tall?: boolean }) {
  return (
    <div
      data-testid="plan"
      tabIndex={0}
      role="region"
      aria-label="Plan"
      className={`${tall ? 'max-h-[55dvh]' : 'max-h-80'} overflow-y-auto rounded border border-neutral-200 bg-white p-3 text-sm dark:border-neutral-800 dark:bg-neutral-950`}
    >
      <Markdown source={plan} />
    </div>
  );
}

function QuestionsRead({ input, answers }: { input: unknown; answers: Record<string, string> }) {
  return (
    <ul className="space-y-2">
      {questionsOf(input).map((question, index) => (
        <li key={index} className="text-sm">
          {question.header && <span className="vibes-chip mr-1.5">{question.header}</span>}
          <span className="break-words">{question.question}</span>
          {answers[question.question] !== undefined && (
            <p className="mt-0.5 font-semibold" data-testid="question-answer">
              → {answers[question.question]}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
