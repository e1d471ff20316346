// @ts-check
/**
 * Scripted turns: the words of a prompt (lib/fake-claude/README.md) say what the fake Claude
 * answers, which tools it asks for, and which fault it plays.
 */
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setInterval } from 'node:timers';
import { compactContext, growContext } from './context.mjs';
import { askPermission, costSoFar, log, send, sendAssistantMessage, sendInit, sendResult, sendToolResult, sessionId } from './protocol.mjs';

/** @typedef {import('./protocol.mjs').Frame} Frame */
/** @typedef {import('./protocol.mjs').PermissionDecision} PermissionDecision */

let stubborn = false;
/** True once a `stubborn` prompt ran: only SIGKILL ends the process then. */
export const isStubborn = () => stubborn;

/**
 * @typedef {object} Script
 * @property {number} chunks
 * @property {number} chunkChars
 * @property {number} everyMs
 * @property {boolean} think
 * @property {string[]} tools
 * @property {boolean} withdraw
 * @property {boolean} long
 * @property {boolean} markdown
 * @property {boolean} errorResult
 * @property {boolean} crash
 * @property {boolean} hang
 * @property {boolean} env
 * @property {boolean} notLoggedIn
 * @property {boolean} stubborn
 * @property {boolean} stamp
 * @property {boolean} nearLimit
 * @property {boolean} compact
 * @property {string | null} replay
 */

/** @param {string} prompt @returns {Script} */
export function parseScript(prompt) {
  const text = prompt.toLowerCase();
  const has = (/** @type {string} */ word) => new RegExp(`(^|[^a-z0-9-])${word}($|[^a-z0-9-])`).test(text);
  const stream = /stream\s+(\d+)\s+chunks?(?:\s+of\s+(\d+)\s+chars?)?(?:\s+(?:every\s+)?(\d+)\s*ms)?/.exec(text);
  const pace = /every\s+(\d+)\s*ms/.exec(text);
  const replayMatch = /(?:^|\s)replay\s+(\S+)/i.exec(prompt);
  const tools = [];
  if (has('two-permissions')) tools.push('Bash', 'Edit');
  else if (has('long-question')) tools.push('AskUserQuestion');
  else if (has('long-plan')) tools.push('ExitPlanMode');
  else {
    if (has('bash')) tools.push('Bash');
    if (has('edit')) tools.push('Edit');
    if (has('write')) tools.push('Write');
  }
  const withdraw = has('withdraw');
  if (withdraw && tools.length === 0) tools.push('Bash');
  return {
    chunks: stream ? Number(stream[1]) : has('long') ? 120 : 3,
    chunkChars: stream?.[2] ? Number(stream[2]) : 0,
    // `flood`: no timer between chunks at all, only a turn of the event loop (-1), for throughput benchmarks.
    everyMs: has('flood') ? -1 : stream?.[3] ? Number(stream[3]) : pace ? Number(pace[1]) : 0,
    think: has('think'),
    tools,
    withdraw,
    long: has('long'),
    markdown: has('markdown'),
    errorResult: has('error-result'),
    crash: has('crash'),
    hang: has('hang'),
    env: has('env'),
    notLoggedIn: has('not-logged-in'),
    stubborn: has('stubborn'),
    stamp: has('stamp'),
    nearLimit: has('near-limit'),
    compact: /^\s*\/compact(\s|$)/.test(text),
    replay: replayMatch?.[1] ?? null,
  };
}

/** What Claude often writes: a table, and a code block with lines wider than a phone. */
const MARKDOWN_REPLY = [
  '## Status codes\n\n| Code | Meaning | When |\n|---|:-:|---|\n| 400 | Bad request | the body does not parse |\n',
  '| 403 | Forbidden | wrong origin, or not subscribed |\n| 409 | Conflict | answered already |\n\n',
  'The check, as it stands:\n\n```ts\nexport const requireSubscribedClientBeforeAnsweringPermissionRequests = (sessionId: string, clientId: string) => ensure(sessionId, clientId);\n```\n\n',
  'Shall I add the missing **404** row?',
];

/** @param {string} prompt @param {AbortSignal} signal */
/**
 * Plays the turn a prompt scripts; `seen` (what was attached, said back) opens the reply, after
 * `told` (the context the host's hooks gave beside the prompt, said back).
 * @param {string} prompt @param {Script} script @param {AbortSignal} signal @param {string} [seen] @param {string} [told]
 */
export async function runScriptedTurn(prompt, script, signal, seen = '', told = '') {
  const startedAt = Date.now();
  sendInit();
  if (script.notLoggedIn) return notLoggedIn();
  if (script.stubborn) {
    stubborn = true;
    process.on('SIGTERM', () => log('ignoring SIGTERM (stubborn scenario)'));
    // With stdin closed nothing else would keep this process alive.
    setInterval(() => {}, 60_000);
  }

  /** @type {Frame[]} */
  const opening = [];
  if (script.think) opening.push({ type: 'thinking', thinking: `The user asked: ${prompt}. I will follow the script.` });
  if (script.tools.length > 0) {
    opening.push({ type: 'text', text: `I need ${script.tools.join(' and ')} for this.` });
    for (const tool of script.tools)
      opening.push({ type: 'tool_use', id: `toolu_fake_${randomUUID()}`, name: tool, input: toolInput(tool) });
  }
  if (script.compact) return compactTurn(startedAt);
  growContext(script.nearLimit);
  if (opening.length > 0) await sendAssistantMessage(opening, script.everyMs, signal);
  const toolUses = opening.filter((block) => block.type === 'tool_use');
  // As the real CLI does for tools that change things: one call at a time, each asked, then run.
  /** @type {PermissionDecision[]} */
  const outcomes = [];
  for (const block of toolUses) {
    const outcome = await askPermission(block, script.withdraw, signal);
    outcomes.push(outcome);
    sendToolResult(block, outcome);
  }

  if (script.crash) {
    await sendAssistantMessage([{ type: 'text', text: 'Working on it, this will take a moment' }], script.everyMs, signal, {
      unfinished: true,
    });
    log('simulated crash in the middle of a turn');
    process.stderr.write('Error: the fake Claude crashed on purpose (scenario word "crash")\n', () => process.exit(1));
    return new Promise(() => {});
  }
  if (script.hang) {
    // `markdown hang`: the reply stops before its last chunk, as one still being written.
    const written = script.markdown ? MARKDOWN_REPLY.slice(0, -1) : [];
    if (written.length > 0)
      await sendAssistantMessage([{ type: 'text', text: written.join('') }], script.everyMs, signal, { chunks: written, unfinished: true });
    log('hanging until interrupted (scenario word "hang")');
    return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
  }

  const reply = [
    ...(told ? [`(Told beside your prompt: ${told}) `] : []),
    ...(seen ? [`${seen} `] : []),
    ...replyChunks(script, prompt, toolUses, outcomes),
  ];
  await sendAssistantMessage([{ type: 'text', text: reply.join('') }], script.everyMs, signal, { chunks: reply, stamp: script.stamp });
  sendResult({
    startedAt,
    isError: script.errorResult,
    subtype: script.errorResult ? 'error_during_execution' : 'success',
    ...(script.errorResult
      ? { errors: ['The fake Claude ended this turn with an error (scenario word "error-result")'] }
      : { result: reply.join('') }),
  });
}

/** `/compact`, as Claude Code runs it: a status, the compact boundary with the sizes, a result with no reply. @param {number} startedAt */
function compactTurn(startedAt) {
  send({ type: 'system', subtype: 'status', status: 'compacting', session_id: sessionId, uuid: randomUUID() });
  const { pre, post } = compactContext();
  send({ type: 'system', subtype: 'status', status: null, compact_result: 'success', session_id: sessionId, uuid: randomUUID() });
  send({
    type: 'system',
    subtype: 'compact_boundary',
    compact_metadata: { trigger: 'manual', pre_tokens: pre, post_tokens: post },
    session_id: sessionId,
    uuid: randomUUID(),
  });
  sendResult({ startedAt, isError: false, subtype: 'success', result: '' });
}

/** As many questions and options as Claude Code allows (4 by 4), each option explained: taller than a phone. */
const LONG_QUESTIONS = [
  ['Indent', 'How should the new files be indented?', ['tabs', 'spaces', 'two spaces', 'match the file']],
  ['Tests', 'Which tests should run before each commit?', ['unit', 'unit and api', 'everything', 'none']],
  ['Checks', 'Which checks should the hook run?', ['lint', 'typecheck', 'format', 'audit']],
  ['Branch', 'Where should the work land?', ['main', 'a new branch', 'the current branch', 'a fork']],
].map(([header, question, labels], index) => ({
  header,
  question,
  multiSelect: index === 2,
  options: /** @type {string[]} */ (labels).map((label) => ({
    label,
    description: `Choose ${label} when that is how this project already works; Claude follows it from here on.`,
  })),
}));

/** A plan several screens long, as Claude writes one for a real change. */
const LONG_PLAN = [
  '# Move the session store to SQLite',
  '',
  'The store keeps every session in one JSON file today; it is rewritten on each change.',
  '',
  ...Array.from({ length: 12 }, (_, i) =>
    [`## Step ${i + 1}`, '', `Change part ${i + 1} of the store, keep its tests passing, and note what moved in the changelog.`, ''].join(
      '\n',
    ),
  ),
  '```ts',
  "export const store = openStore(join(home, 'vibes.db'));",
  '```',
].join('\n');

/** @param {string} tool */
function toolInput(tool) {
  switch (tool) {
    case 'Bash':
      return { command: 'echo hello from the fake Claude', description: 'Print a greeting' };
    case 'Edit':
      return { file_path: join(process.cwd(), 'notes.txt'), old_string: 'old', new_string: 'new' };
    case 'AskUserQuestion':
      return { questions: LONG_QUESTIONS };
    case 'ExitPlanMode':
      return { plan: LONG_PLAN };
    default:
      return { file_path: join(process.cwd(), 'fake-output.txt'), content: 'written by the fake Claude\n' };
  }
}

/**
 * @param {Script} script @param {string} prompt
 * @param {Frame[]} toolUses @param {(PermissionDecision | undefined)[]} outcomes
 */
function replyChunks(script, prompt, toolUses, outcomes) {
  if (script.env) {
    const key = process.env.ANTHROPIC_API_KEY;
    const fingerprint = key === undefined ? 'unset' : `sha256:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
    return [
      `PATH=${process.env.PATH ?? ''}\n`,
      `HOME=${process.env.HOME ?? ''}\n`,
      `ANTHROPIC_API_KEY=${fingerprint}\n`,
      `CWD=${process.cwd()}\n`,
    ];
  }
  if (script.chunkChars > 0) {
    return Array.from({ length: script.chunks }, (_, i) => String.fromCharCode(97 + (i % 26)).repeat(script.chunkChars));
  }
  if (script.markdown) return MARKDOWN_REPLY;
  if (script.long) {
    return Array.from(
      { length: script.chunks },
      (_, i) => `Paragraph ${i + 1}: the fake Claude goes on at length so the transcript has to scroll.\n\n`,
    );
  }
  if (toolUses.length > 0) {
    const summary = toolUses
      .map((tool, i) => `${String(tool.name)} was ${outcomes[i]?.behavior === 'allow' ? 'allowed' : 'denied'}`)
      .join(', ');
    return [`Done: ${summary}.`];
  }
  if (script.chunks !== 3 || script.everyMs > 0) {
    return Array.from({ length: script.chunks }, (_, i) => `Chunk ${i + 1} of ${script.chunks}. `);
  }
  return ['You said: ', JSON.stringify(prompt), '.'];
}

function notLoggedIn() {
  const text = 'Not logged in · Please run /login';
  send({
    type: 'assistant',
    message: {
      id: randomUUID(),
      type: 'message',
      role: 'assistant',
      model: '<synthetic>',
      content: [{ type: 'text', text }],
      stop_reason: 'stop_sequence',
      usage: { input_tokens: 0, output_tokens: 0 },
    },
    parent_tool_use_id: null,
    session_id: sessionId,
    uuid: randomUUID(),
    error: 'authentication_failed',
  });
  send({
    type: 'result',
    subtype: 'success',
    is_error: true,
    duration_ms: 1,
    duration_api_ms: 0,
    num_turns: 1,
    result: text,
    stop_reason: 'stop_sequence',
    session_id: sessionId,
    total_cost_usd: costSoFar(),
    usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    modelUsage: {},
    permission_denials: [],
    terminal_reason: 'api_error',
    uuid: randomUUID(),
  });
}
