// @ts-check
/**
 * What the fake Claude says of its context window and its slash commands: a context that grows
 * with every turn (`near-limit` takes it close to compaction, `/compact` shrinks it), and a small
 * command list with the session folder's own `.claude/commands/*.md`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CONTEXT_WINDOW = 200_000;
/** Claude Code keeps this much free for compaction: it compacts at 83.5% of a 200k window. */
const COMPACT_BUFFER = 33_000;
/** The system prompt and tools, before any message. */
const BASE_TOKENS = 12_000;
const TOKENS_PER_TURN = 3_000;
/** Where `near-limit` puts the context: 150k of 200k, within ten points of compaction. */
const NEAR_LIMIT_TOKENS = 150_000;
const AFTER_COMPACTION_TOKENS = 4_000;

let messageTokens = 0;

/** The tokens the model was given for its latest answer. */
export const contextTokens = () => BASE_TOKENS + messageTokens;

/** A turn adds to the conversation; `nearLimit` fills it up to just before compaction. */
export function growContext(/** @type {boolean} */ nearLimit) {
  messageTokens = nearLimit ? Math.max(messageTokens + TOKENS_PER_TURN, NEAR_LIMIT_TOKENS - BASE_TOKENS) : messageTokens + TOKENS_PER_TURN;
}

/** Compaction: the conversation becomes a summary. @returns {{ pre: number, post: number }} */
export function compactContext() {
  const pre = contextTokens();
  messageTokens = AFTER_COMPACTION_TOKENS;
  return { pre, post: contextTokens() };
}

/** The answer to `get_context_usage`, in the shape Claude Code gives it (the parts a host reads). */
export function contextUsage() {
  const total = contextTokens();
  return {
    categories: [
      { id: 'system_prompt', name: 'System prompt', tokens: BASE_TOKENS, color: 'promptBorder', kind: 'used' },
      { id: 'messages', name: 'Messages', tokens: messageTokens, color: 'purple', kind: 'used' },
      { id: 'autocompact_buffer', name: 'Autocompact buffer', tokens: COMPACT_BUFFER, color: 'inactive', kind: 'buffer' },
    ],
    totalTokens: total,
    maxTokens: CONTEXT_WINDOW,
    rawMaxTokens: CONTEXT_WINDOW,
    percentage: Math.round((total / CONTEXT_WINDOW) * 100),
    gridRows: [],
    model: 'claude-fake-1',
    memoryFiles: [],
    mcpTools: [],
    agents: [],
    autoCompactThreshold: CONTEXT_WINDOW - COMPACT_BUFFER,
    isAutoCompactEnabled: true,
    apiUsage: null,
  };
}

const BUILT_IN_COMMANDS = [
  {
    name: 'compact',
    description: 'Free up context by summarizing the conversation so far',
    argumentHint: '<optional custom summarization instructions>',
    builtin: true,
  },
  { name: 'context', description: 'Show current context usage', argumentHint: '', builtin: true },
  { name: 'review', description: 'Review a pull request', argumentHint: '<pr number>', builtin: true },
  { name: 'init', description: 'Initialize a new CLAUDE.md file with codebase documentation', argumentHint: '', builtin: true },
];

/** The commands Claude Code would list: the folder's own first (as it does), then a few built-ins. */
export function slashCommands(/** @type {string} */ cwd) {
  return [...projectCommands(cwd), ...BUILT_IN_COMMANDS];
}

/** `.claude/commands/<name>.md`, with the `description` and `argument-hint` of its front matter. */
function projectCommands(/** @type {string} */ cwd) {
  const dir = join(cwd, '.claude', 'commands');
  let files;
  try {
    files = readdirSync(dir).filter((file) => file.endsWith('.md'));
  } catch {
    return [];
  }
  return files.sort().map((file) => {
    let text = '';
    try {
      text = readFileSync(join(dir, file), 'utf8');
    } catch {
      // Unreadable: listed by name only.
    }
    const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '';
    const field = (/** @type {string} */ key) => new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(front)?.[1]?.trim() ?? '';
    return {
      name: file.slice(0, -3),
      description: `${field('description') || 'Project command'} (project)`,
      argumentHint: field('argument-hint'),
    };
  });
}
