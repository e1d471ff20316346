/**
 * Reads Claude Code's tool inputs, as tool_use events carry them (shapes as in the Agent SDK's
 * sdk-tools.d.ts), defensively: a field of the wrong type reads as absent, so an unexpected input
 * never breaks a view. The server and every client read them here. Zod-free: the dashboard imports it.
 */

import type { Question, TodoItem } from './decisions.ts';
import { inputHint, planHeadline } from './decision-summary.ts';
import { clip, firstLine } from './text.ts';

/** The tools whose requests and results are shown as a diff. */
export const EDIT_TOOLS = new Set(['Edit', 'MultiEdit', 'Write', 'NotebookEdit']);

/** One removed/added pair of an edit, as the input states it (without the file around it). */
export interface EditChange {
  oldText: string;
  newText: string;
}

const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function stringField(input: unknown, field: string): string {
  return text(record(input)[field]);
}

/** The file an edit tool changes. */
export function editedPath(input: unknown): string {
  const fields = record(input);
  return text(fields.file_path) || text(fields.notebook_path) || text(fields.path);
}

/** The changes an edit tool's input names, without context: the server's diff adds that when it has the file. */
export function editChanges(name: string, input: unknown): EditChange[] {
  const fields = record(input);
  switch (name) {
    case 'Edit':
      return [{ oldText: text(fields.old_string), newText: text(fields.new_string) }];
    case 'MultiEdit':
      return (Array.isArray(fields.edits) ? fields.edits : []).map((edit) => ({
        oldText: text(record(edit).old_string),
        newText: text(record(edit).new_string),
      }));
    case 'Write':
      return [{ oldText: '', newText: text(fields.content) }];
    case 'NotebookEdit':
      return [{ oldText: '', newText: text(fields.new_source) }];
    default:
      return [];
  }
}

/** AskUserQuestion's questions; one without its text, or an option without its label, is left out. */
export function questionsOf(input: unknown): Question[] {
  const list = record(input).questions;
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw): Question[] => {
    const question = record(raw);
    if (typeof question.question !== 'string') return [];
    const options = (Array.isArray(question.options) ? question.options : [])
      .map(record)
      .filter((option) => typeof option.label === 'string');
    const preview = (option: Record<string, unknown>) => (typeof option.preview === 'string' ? { preview: option.preview } : {});
    return [
      {
        question: question.question,
        header: text(question.header),
        options: options.map((option) => ({ label: text(option.label), description: text(option.description), ...preview(option) })),
        multi_select: question.multiSelect === true,
      },
    ];
  });
}

/** TodoWrite's items; one without its text is left out, an unknown status reads as pending. */
export function todosOf(input: unknown): TodoItem[] {
  const list = record(input).todos;
  if (!Array.isArray(list)) return [];
  return list.map(record).flatMap((todo): TodoItem[] => {
    if (typeof todo.content !== 'string') return [];
    const status = todo.status === 'completed' || todo.status === 'in_progress' ? todo.status : 'pending';
    return [{ content: todo.content, active_form: text(todo.activeForm) || todo.content, status }];
  });
}

/** "3 of 7 done". */
export function todoProgress(todos: readonly TodoItem[]): string {
  return `${todos.filter((todo) => todo.status === 'completed').length} of ${todos.length} done`;
}

/** A tool result's text: the string, or the text of its blocks; anything else as JSON. */
export function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content.flatMap((block) => (typeof record(block).text === 'string' ? [text(record(block).text)] : [])).join('\n');
  return content === undefined || content === null ? '' : (JSON.stringify(content, null, 2) ?? '');
}

/** The one line that names a tool call: the command, the file, the question, or else its input as JSON. */
export function summarizeInput(name: string, input: unknown): string {
  if (name === 'AskUserQuestion') {
    const questions = questionsOf(input);
    return questions.map((question) => question.question).join(' · ');
  }
  if (name === 'ExitPlanMode') return withMoreMark(text(record(input).plan), planHeadline(text(record(input).plan)));
  if (name === 'TodoWrite') return todoProgress(todosOf(input));
  const hint = inputHint(input);
  if (hint) return withMoreMark(hint, firstLine(hint));
  const json = JSON.stringify(input);
  return json === undefined || json === '{}' ? '' : clip(json, 200);
}

/** `line`, with ` …` when the text it comes from says more. */
function withMoreMark(whole: string, line: string): string {
  return line !== '' && line.length < whole.trim().length ? `${line} …` : line;
}
