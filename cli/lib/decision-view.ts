import {
  PERMISSION_MODE_LABELS,
  type FileDiff,
  type PendingPermission,
  type PermissionMode,
  type TodoItem,
} from '../../lib/protocol/index.ts';
import { clip } from '../../lib/protocol/text.ts';
import { todoProgress } from '../../lib/protocol/tool-input.ts';
import type { Style } from './style.ts';
import { markdownText } from './terminal-markdown.ts';

/** Lines of a diff shown in the terminal; the rest is counted. */
const MAX_DIFF_LINES = 80;

export type Decision = Omit<PendingPermission, 'requested_at'>;

/** The plan choices, in the order Claude Code offers them. */
export const PLAN_CHOICES: readonly { key: string; label: string; mode: PermissionMode | null }[] = [
  { key: '1', label: 'Approve, and auto-accept edits', mode: 'acceptEdits' },
  { key: '2', label: 'Approve, and approve each edit by hand', mode: 'default' },
  { key: '3', label: 'Keep planning (tell Claude what to change)', mode: null },
];

/** A decision as terminal lines: what Claude asks, what it would change, and how to answer. */
/** `markdownWidth`: on a terminal, a plan's Markdown is laid out this wide; else it is shown as written. */
export function decisionLines(decision: Decision, s: Style, markdownWidth?: number): string[] {
  const lines: string[] = [];
  const { display } = decision;
  switch (display.type) {
    case 'diff':
      lines.push(s.yellow(s.bold(`⚠ Claude wants to ${display.diff.status === 'created' ? 'create' : 'edit'} ${display.diff.file_path}`)));
      lines.push(...diffLines(display.diff, s));
      break;
    case 'command':
      lines.push(s.yellow(s.bold('⚠ Claude wants to run a command')));
      lines.push(...display.command.split('\n').map((line, index) => `    ${index === 0 ? s.bold('$') : ' '} ${line}`));
      if (display.description) lines.push(`    ${display.description}`);
      lines.push(s.dim(`    in ${display.cwd}${display.run_in_background ? ' · in the background' : ''}`));
      break;
    case 'question':
      lines.push(
        s.yellow(s.bold(`? Claude asks ${display.questions.length === 1 ? 'a question' : `${display.questions.length} questions`}`)),
      );
      break;
    case 'plan': {
      lines.push(s.yellow(s.bold('⚠ Claude has a plan and asks to go ahead')));
      const plan = display.plan.replace(/\n+$/, '');
      lines.push(
        ...(markdownWidth ? markdownText(plan, s, markdownWidth - 4) : plan.split('\n')).map((line) => (line ? `    ${line}` : line)),
      );
      if (display.file_path) lines.push(s.dim(`    (${display.file_path})`));
      break;
    }
    case 'input':
      lines.push(s.yellow(s.bold(`⚠ Permission needed: ${decision.tool_name}`)) + (decision.title ? ` — ${decision.title}` : ''));
      lines.push(...describeInput(decision.input).map((line) => `    ${line}`));
      break;
  }
  if (decision.reason && display.type !== 'input') lines.push(s.dim(`    (${decision.reason})`));
  lines.push(...choiceLines(decision, s));
  return lines;
}

/** How to answer, under the decision. Questions are asked one at a time (see questionLines). */
function choiceLines(decision: Decision, s: Style): string[] {
  if (decision.kind === 'question') return [];
  if (decision.kind === 'plan') return PLAN_CHOICES.map((choice) => `  ${s.bold(choice.key)}  ${choice.label}`);
  const lines = [`  ${s.bold('a')}  Allow once`];
  decision.suggestions.forEach((suggestion, index) =>
    lines.push(`  ${s.bold(String(index + 1))}  Allow, and don't ask again: ${suggestion.description}`),
  );
  lines.push(`  ${s.bold('d')}  Deny ${s.dim('(d <reason> tells Claude why)')}`);
  return lines;
}

/** One question with its numbered options. */
export function questionLines(
  question: { question: string; header: string; options: { label: string; description: string }[]; multi_select: boolean },
  s: Style,
): string[] {
  const lines = [`${question.header ? `${s.cyan(`[${question.header}]`)} ` : ''}${s.bold(question.question)}`];
  question.options.forEach((option, index) => {
    lines.push(`  ${s.bold(String(index + 1))}  ${option.label}${option.description ? s.dim(` — ${option.description}`) : ''}`);
  });
  lines.push(
    s.dim(`  ${question.multi_select ? 'numbers separated by commas for several, ' : ''}or type your own answer; d skips the questions`),
  );
  return lines;
}

export function promptFor(decision: Decision, questionIndex: number): string {
  if (decision.display.type === 'question') {
    const question = decision.display.questions[questionIndex];
    const count = question?.options.length ?? 0;
    return `${question?.header || 'answer'} (1-${count}${question?.multi_select ? ', several' : ''}) › `;
  }
  if (decision.kind === 'plan') return 'plan (1/2/3) › ';
  return decision.suggestions.length > 0 ? `[a]llow / [1-${decision.suggestions.length}] always / [d]eny › ` : '[a]llow / [d]eny › ';
}

/** A unified diff with line numbers, removed lines red and added green. */
export function diffLines(diff: FileDiff, s: Style, max = MAX_DIFF_LINES): string[] {
  const lines: string[] = [
    s.dim(
      `    ${diff.status === 'created' ? 'new file' : diff.status === 'fragment' ? 'change (file not read)' : 'change'} · +${diff.added} -${diff.removed}`,
    ),
  ];
  const width = Math.max(
    3,
    ...diff.hunks.flatMap((hunk) => [String(hunk.old_start + hunk.old_lines).length, String(hunk.new_start + hunk.new_lines).length]),
  );
  let shown = 0;
  let total = 0;
  for (const hunk of diff.hunks) {
    if (diff.status !== 'fragment' && diff.status !== 'created')
      lines.push(s.dim(`    @@ -${hunk.old_start},${hunk.old_lines} +${hunk.new_start},${hunk.new_lines} @@`));
    for (const line of hunk.lines) {
      total++;
      if (shown >= max) continue;
      shown++;
      const number = line.kind === 'removed' ? line.old_line : line.new_line;
      const gutter = (number === null ? '' : String(number)).padStart(width);
      if (line.kind === 'added') lines.push(s.green(`    ${gutter} + ${line.text}`));
      else if (line.kind === 'removed') lines.push(s.red(`    ${gutter} - ${line.text}`));
      else lines.push(s.dim(`    ${gutter}   ${line.text}`));
    }
  }
  if (total > shown || diff.truncated) lines.push(s.dim(`    … ${diff.truncated ? 'more' : total - shown} lines not shown`));
  return lines;
}

export function todoLines(items: readonly TodoItem[], s: Style): string[] {
  const lines = [s.bold(`☰ Todo list: ${todoProgress(items)}`)];
  for (const item of items) {
    if (item.status === 'completed') lines.push(s.dim(`  ☑ ${item.content}`));
    else if (item.status === 'in_progress') lines.push(`  ${s.yellow('▶')} ${s.bold(item.active_form)}`);
    else lines.push(`  ☐ ${item.content}`);
  }
  return lines;
}

export function modeLabel(mode: PermissionMode): string {
  return PERMISSION_MODE_LABELS[mode];
}

/** Every field of an input, long values cut, so the user sees what they approve. */
export function describeInput(input: Record<string, unknown>): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const valueLines = (text ?? '').split('\n');
    const shown = valueLines.slice(0, 12).map((line) => clip(line, 200));
    lines.push(`${key}: ${shown[0] ?? ''}`, ...shown.slice(1).map((line) => `  ${line}`));
    if (valueLines.length > 12) lines.push(`  … ${valueLines.length - 12} more lines`);
  }
  return lines;
}
