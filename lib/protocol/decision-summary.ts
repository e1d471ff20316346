import type { DecisionFields } from './decisions.ts';
import { firstLine } from './text.ts';
import { inputHint, planHeadline } from './tool-input.ts';

// Zod-free, like endpoints.ts: the dashboard imports it directly.

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
