import { readFile, stat } from 'node:fs/promises';
import type { DecisionDisplay, DecisionFields } from '../../../protocol/index.ts';
import { EDIT_TOOLS, questionsOf } from '../../../protocol/tool-input.ts';
import { CLAUDE_TOOLS, decisionKind } from '../tool-calls.ts';
import { diffForEdit } from './file-diff.ts';
import type { Json } from '../json.ts';
import { describeSuggestions, type PermissionUpdate } from './suggestions.ts';

export interface DecisionRequest {
  requestId: string;
  toolName: string;
  input: Json;
  /** The session's working directory: commands run there, relative paths start there. */
  cwd: string;
  title?: string | undefined;
  toolUseId?: string | undefined;
  suggestions?: readonly PermissionUpdate[] | undefined;
  reason?: string | undefined;
}

/** Turns a `canUseTool` request into the decision clients show: its kind, what to display, the offers. */
export async function describeDecision(request: DecisionRequest): Promise<DecisionFields> {
  const { toolName, input } = request;
  const kind = decisionKind(toolName);
  return {
    request_id: request.requestId,
    tool_name: toolName,
    input,
    ...(request.title ? { title: request.title } : {}),
    ...(request.toolUseId ? { tool_use_id: request.toolUseId } : {}),
    kind,
    display: await displayFor(toolName, input, request.cwd),
    // Questions and plans have their own choices; Claude's rule offers make no sense there.
    suggestions: kind === 'tool' ? describeSuggestions(request.suggestions ?? [], request.cwd) : [],
    ...(request.reason ? { reason: request.reason } : {}),
  };
}

async function displayFor(toolName: string, input: Json, cwd: string): Promise<DecisionDisplay> {
  if (EDIT_TOOLS.has(toolName)) {
    const diff = await diffForEdit(toolName, input, cwd).catch(() => null);
    if (diff) return { type: 'diff', diff };
  }
  if (toolName === CLAUDE_TOOLS.bash && typeof input.command === 'string') {
    return {
      type: 'command',
      command: input.command,
      description: typeof input.description === 'string' && input.description.trim() !== '' ? input.description : null,
      cwd,
      run_in_background: input.run_in_background === true,
      timeout_ms: typeof input.timeout === 'number' && input.timeout >= 0 ? input.timeout : null,
    };
  }
  if (toolName === CLAUDE_TOOLS.question) {
    const questions = questionsOf(input);
    if (questions.length > 0) return { type: 'question', questions };
  }
  if (toolName === CLAUDE_TOOLS.plan) {
    const filePath = typeof input.planFilePath === 'string' ? input.planFilePath : null;
    // Claude Code puts the plan file's text in `plan`; read the file should it not.
    const plan = typeof input.plan === 'string' && input.plan !== '' ? input.plan : filePath ? await readPlan(filePath) : '';
    return { type: 'plan', plan, file_path: filePath };
  }
  return { type: 'input' };
}

const MAX_PLAN_BYTES = 512 * 1024;

async function readPlan(path: string): Promise<string> {
  try {
    const info = await stat(path);
    return info.isFile() && info.size <= MAX_PLAN_BYTES ? await readFile(path, 'utf8') : '';
  } catch {
    return '';
  }
}
