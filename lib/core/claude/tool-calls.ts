import type { DecisionFields, DecisionKind, TodoList, TranscriptEvent } from '../../protocol/index.ts';
import { todosOf } from '../../protocol/tool-input.ts';

/** Claude Code's tools that mean more to vibes than a line in the transcript. */
export const CLAUDE_TOOLS = { bash: 'Bash', question: 'AskUserQuestion', plan: 'ExitPlanMode', todos: 'TodoWrite' } as const;

/** What a request to use `toolName` asks of the user: a question to answer, a plan to approve, or a tool to allow. */
export function decisionKind(toolName: string): DecisionKind {
  return toolName === CLAUDE_TOOLS.question ? 'question' : toolName === CLAUDE_TOOLS.plan ? 'plan' : 'tool';
}

type ToolUse = Extract<TranscriptEvent, { type: 'tool_use' }>;

/**
 * Claude Code's own tool calls, read for what they tell beyond the transcript: the main agent's
 * TodoWrite is the session's todo list, and ExitPlanMode's plan is kept for its approval request,
 * which Claude Code may send without it.
 */
export class ClaudeToolCalls {
  /** ExitPlanMode calls' plans, by tool call, until their request comes. */
  readonly #plans = new Map<string, string>();

  /** Notes a call; returns the todo list when it is the main agent's TodoWrite. */
  noteCall(call: ToolUse): TodoList | null {
    const input = call.input as { plan?: unknown; todos?: unknown } | null;
    if (call.name === CLAUDE_TOOLS.plan && typeof input?.plan === 'string') this.#plans.set(call.tool_use_id, input.plan);
    // A subagent's list is its own task's, not the session's.
    if (call.name !== CLAUDE_TOOLS.todos || call.parent_tool_use_id || !Array.isArray(input?.todos)) return null;
    const items = todosOf(input);
    const completed = items.filter((item) => item.status === 'completed').length;
    return { items, completed, total: items.length, tool_use_id: call.tool_use_id };
  }

  /** The decision with its plan filled in from the ExitPlanMode call, when the request came with an empty one. */
  withPlan<T extends Pick<DecisionFields, 'display' | 'tool_use_id'>>(decision: T): T {
    if (decision.display.type !== 'plan' || decision.display.plan !== '' || !decision.tool_use_id) return decision;
    const plan = this.#plans.get(decision.tool_use_id);
    this.#plans.delete(decision.tool_use_id);
    return plan === undefined ? decision : { ...decision, display: { ...decision.display, plan } };
  }
}
