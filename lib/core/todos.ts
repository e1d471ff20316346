import type { TodoItem, TodoList } from '../protocol/index.ts';

const STATUSES = new Set<TodoItem['status']>(['pending', 'in_progress', 'completed']);

/** A TodoWrite call's list, or null when its input is not one. */
export function todoListFrom(toolUseId: string, input: unknown): TodoList | null {
  if (typeof input !== 'object' || input === null || !Array.isArray((input as { todos?: unknown }).todos)) return null;
  const items: TodoItem[] = [];
  for (const raw of (input as { todos: unknown[] }).todos) {
    if (typeof raw !== 'object' || raw === null) continue;
    const { content, status, activeForm } = raw as Record<string, unknown>;
    if (typeof content !== 'string' || !STATUSES.has(status as TodoItem['status'])) continue;
    items.push({ content, status: status as TodoItem['status'], active_form: typeof activeForm === 'string' ? activeForm : content });
  }
  return { items, completed: items.filter((item) => item.status === 'completed').length, total: items.length, tool_use_id: toolUseId };
}
