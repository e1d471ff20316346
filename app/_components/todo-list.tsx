import type { TodoItem } from '../../lib/protocol/index.ts';
import { todoProgress } from '../../lib/protocol/tool-input.ts';

const MARK = { completed: '☑', in_progress: '◐', pending: '☐' } as const;
const SPOKEN = { completed: 'done', in_progress: 'in progress', pending: 'to do' } as const;

/** Claude's todo list as a checklist; the item in progress reads as what Claude is doing now. */
export function TodoList({ todos }: { todos: readonly TodoItem[] }) {
  return (
    <ul className="space-y-1 text-sm" data-testid="todo-list" aria-label={`Todo list, ${todoProgress(todos)}`}>
      {todos.map((todo, index) => (
        <li key={index} className="flex gap-2" data-status={todo.status}>
          <span aria-hidden="true" className={todo.status === 'in_progress' ? 'text-accent-text' : ''}>
            {MARK[todo.status]}
          </span>
          <span
            className={`min-w-0 break-words ${
              todo.status === 'completed' ? 'text-muted line-through' : todo.status === 'in_progress' ? 'font-semibold' : ''
            }`}
          >
            <span className="sr-only">{SPOKEN[todo.status]}: </span>
            {todo.status === 'in_progress' && todo.active_form ? todo.active_form : todo.content}
          </span>
        </li>
      ))}
    </ul>
  );
}
