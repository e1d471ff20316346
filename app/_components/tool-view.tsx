import { memo } from 'react';
import { editChanges, editedPath, EDIT_TOOLS, questionsOf, stringField, todosOf, type EditChange } from '../../lib/protocol/tool-input.ts';
import type { FileDiff } from '../../lib/protocol/index.ts';
import { DiffView, rowsFromFileDiff, type DiffRow } from './diff-view.tsx';
import { Markdown } from './markdown.tsx';
import { TodoList } from './todo-list.tsx';

/** Without the server's diff: what goes out and what comes in, as the input says (numbered only for a new file). */
function rowsFromChanges(name: string, changes: readonly EditChange[]): DiffRow[] {
  const rows: DiffRow[] = [];
  changes.forEach((change, index) => {
    if (index > 0) rows.push({ kind: 'gap', text: '', oldLine: null, newLine: null });
    for (const line of splitLines(change.oldText)) rows.push({ kind: 'remove', text: line, oldLine: null, newLine: null });
    splitLines(change.newText).forEach((line, at) =>
      rows.push({ kind: 'add', text: line, oldLine: null, newLine: name === 'Write' ? at + 1 : null }),
    );
  });
  return rows;
}

function splitLines(value: string): string[] {
  if (value === '') return [];
  const lines = value.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

const STATUS_WORDS: Record<FileDiff['status'], string> = {
  modified: '',
  created: 'new file',
  fragment: 'The file could not be read, so this is the change alone, without line numbers.',
};

/** An edit as a diff: the server's (with context and line numbers) when it sent one, else read from the input. */
export function EditDetail({ name, input, diff }: { name: string; input: unknown; diff: FileDiff | null }) {
  const path = diff?.file_path ?? editedPath(input);
  const rows = diff ? rowsFromFileDiff(diff) : rowsFromChanges(name, editChanges(name, input));
  const note = diff ? STATUS_WORDS[diff.status] : '';
  return (
    <div className="min-w-0 space-y-1">
      <p className="overflow-x-auto whitespace-nowrap font-mono text-xs font-semibold" data-testid="edit-path">
        {path}
      </p>
      {note && <p className="text-xs text-muted">{note}</p>}
      <DiffView rows={rows} label={`Changes to ${path}`} />
    </div>
  );
}

/** What a tool call does, shown the way a person checks it: commands as code, edits as diffs, plans as Markdown. */
export const ToolDetail = memo(function ToolDetail({
  name,
  input,
  diff,
  answers,
}: {
  name: string;
  input: unknown;
  diff: FileDiff | null;
  answers: Readonly<Record<string, string>> | null;
}) {
  if (name === 'Bash')
    return <CommandDetail command={stringField(input, 'command')} description={stringField(input, 'description')} cwd={null} />;
  if (EDIT_TOOLS.has(name)) return <EditDetail name={name} input={input} diff={diff} />;
  if (name === 'ExitPlanMode') return <PlanText plan={stringField(input, 'plan')} />;
  if (name === 'TodoWrite') return <TodoList todos={todosOf(input)} />;
  if (name === 'AskUserQuestion') {
    return (
      <ul className="space-y-2">
        {questionsOf(input).map((question, index) => (
          <li key={index} className="min-w-0 text-sm">
            {question.header && <span className="vibes-chip mr-1.5">{question.header}</span>}
            <span className="break-words">{question.question}</span>
            {answers?.[question.question] !== undefined && (
              <p className="mt-0.5 break-words font-semibold" data-testid="question-answer">
                → {answers[question.question]}
              </p>
            )}
          </li>
        ))}
      </ul>
    );
  }
  return <InputDetail input={input} />;
});

/** Any other tool's input as key and value, values as code. */
export function InputDetail({ input }: { input: unknown }) {
  const entries = input && typeof input === 'object' ? Object.entries(input as Record<string, unknown>) : [];
  if (entries.length === 0) return null;
  return (
    <dl className="min-w-0 space-y-1 text-xs">
      {entries.map(([key, value]) => (
        <div key={key} className="min-w-0">
          <dt className="font-semibold">{key.replaceAll('_', ' ')}</dt>
          <dd>
            <pre className="vibes-pre">{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function CommandDetail({ command, description, cwd }: { command: string; description: string | null; cwd: string | null }) {
  return (
    <div className="min-w-0 space-y-1" data-testid="command">
      {description && <p className="break-words text-sm">{description}</p>}
      <pre className="vibes-pre" tabIndex={0} aria-label="Command" data-testid="command-text">
        {command}
      </pre>
      {cwd && (
        <p className="overflow-x-auto whitespace-nowrap text-xs text-muted" data-testid="command-cwd">
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
      className={`${tall ? 'max-h-[40dvh]' : 'max-h-64'} min-w-0 overflow-y-auto rounded border border-border bg-surface p-3 text-sm text-fg`}
    >
      <Markdown source={plan} />
    </div>
  );
}
