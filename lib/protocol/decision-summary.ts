import type { DecisionFields } from './decisions.ts';
import { firstLine } from './text.ts';

// Zod-free, like endpoints.ts: the dashboard's first load imports it (session cards), so it stays small.

type Decision = Pick<DecisionFields, 'kind' | 'display' | 'input' | 'title' | 'tool_name'>;

/**
 * One line on what a decision asks: the command, the file, the question, the plan's first line.
 * Written once for the session card, the notification and the CLI.
 */
export function decisionSummary(decision: Decision): string {
  const display = decision.display;
  switch (display.type) {
    case 'command':
      return firstLine(display.command);
    case 'diff':
      return `${decision.tool_name} ${display.diff.file_path}`;
    case 'question':
      return firstLine(display.questions[0]?.question ?? '') || 'Claude has a question';
    case 'plan':
      return planHeadline(display.plan) || 'Claude has a plan for you to approve';
    default:
      return firstLine(inputHint(decision.input) || (decision.title ?? decision.tool_name));
  }
}

/** The input fields that name what a tool call works on, most telling first. */
const HINT_FIELDS = ['command', 'file_path', 'notebook_path', 'path', 'url', 'pattern', 'query', 'description'] as const;

/** What a tool call works on, as its input says (the command, the file, ...), whole; '' when no field tells. */
export function inputHint(input: unknown): string {
  const fields = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const hint = HINT_FIELDS.map((key) => fields[key]).find((value) => typeof value === 'string' && value.trim() !== '');
  return typeof hint === 'string' ? hint : '';
}

/** A plan's first line, without its Markdown heading marks. */
export function planHeadline(plan: string): string {
  return firstLine(plan.replace(/^#+\s*/gm, ''));
}
