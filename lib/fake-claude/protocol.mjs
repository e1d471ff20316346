// @ts-check
/**
 * The fake Claude's side of the stdio protocol: what it prints (one JSON frame per line on
 * stdout), its command line, and asking the host through `can_use_tool` control requests.
 * Everything meant for people goes to stderr.
 */
import { randomUUID } from 'node:crypto';
import { clearTimeout, setImmediate, setTimeout } from 'node:timers';
import { slashCommands } from './context.mjs';

export const FAKE_VERSION = '2.1.238-fake';
const COST_PER_TURN_USD = 0.0125;

/** @typedef {Record<string, unknown>} Frame */
/** @typedef {{ behavior: 'allow', updatedInput?: unknown } | { behavior: 'deny', message?: string }} PermissionDecision */

export const cli = parseArgs(process.argv.slice(2));
export const sessionId = cli.resume ?? randomUUID();
export const model = cli.model ?? 'claude-fake-1';

let totalCostUsd = 0;
let messageCounter = 0;
let requestCounter = 0;
/** Control requests sent to the host, by request id, waiting for its control_response. @type {Map<string, (response: Frame) => void>} */
export const awaitingHost = new Map();

/** The cumulative cost so far, as every `result` reports it. */
export const costSoFar = () => totalCostUsd;

export function log(/** @type {string} */ text) {
  process.stderr.write(`fake-claude: ${text}\n`);
}

export function send(/** @type {Frame} */ frame) {
  process.stdout.write(`${JSON.stringify(frame)}\n`);
}

/**
 * @param {string[]} argv
 * @returns {{ resume?: string, model?: string, partial: boolean, permissionMode?: string }}
 */
function parseArgs(argv) {
  /** @type {{ resume?: string, model?: string, partial: boolean, permissionMode?: string }} */
  const parsed = { partial: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--resume') parsed.resume = value();
    else if (flag === '--model') parsed.model = value();
    else if (flag === '--permission-mode') parsed.permissionMode = value();
    else if (flag === '--include-partial-messages') parsed.partial = true;
  }
  return parsed;
}

export function initializeResponse() {
  return {
    commands: slashCommands(process.cwd()),
    agents: [],
    output_style: 'default',
    available_output_styles: ['default'],
    models: [{ value: model, displayName: 'Fake Claude', description: 'The scripted stand-in' }],
    account: {},
    pid: process.pid,
  };
}

export function sendInit() {
  send({
    type: 'system',
    subtype: 'init',
    cwd: process.cwd(),
    session_id: sessionId,
    tools: ['Bash', 'Edit', 'Read', 'Write'],
    mcp_servers: [],
    model,
    permissionMode: cli.permissionMode ?? 'default',
    slash_commands: ['compact', 'clear'],
    apiKeySource: process.env.ANTHROPIC_API_KEY ? 'ANTHROPIC_API_KEY' : 'none',
    claude_code_version: FAKE_VERSION,
    output_style: 'default',
    agents: [],
    skills: [],
    plugins: [],
    uuid: randomUUID(),
  });
}

/**
 * Sends one API message: one `assistant` frame per content block (sharing the message id),
 * wrapped in partial stream events when the host asked for them.
 * @param {Frame[]} blocks @param {number} everyMs @param {AbortSignal} signal
 * @param {{ chunks?: string[], unfinished?: boolean, stamp?: boolean }} [options]
 */
export async function sendAssistantMessage(blocks, everyMs, signal, options = {}) {
  const id = `msg_fake_${++messageCounter}`;
  const frame = (/** @type {Frame} */ block) => ({
    type: 'assistant',
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [block],
      stop_reason: null,
      usage: { input_tokens: 10, output_tokens: 5 },
    },
    parent_tool_use_id: null,
    session_id: sessionId,
    uuid: randomUUID(),
  });
  const event = (/** @type {Frame} */ streamEvent) =>
    send({ type: 'stream_event', event: streamEvent, parent_tool_use_id: null, session_id: sessionId, uuid: randomUUID() });
  if (cli.partial)
    event({
      type: 'message_start',
      message: { id, type: 'message', role: 'assistant', model, content: [], usage: { input_tokens: 10, output_tokens: 0 } },
    });
  for (const [index, block] of blocks.entries()) {
    if (cli.partial) {
      const empty =
        block.type === 'text'
          ? { type: 'text', text: '' }
          : block.type === 'thinking'
            ? { type: 'thinking', thinking: '' }
            : { ...block, input: {} };
      event({ type: 'content_block_start', index, content_block: empty });
      for (const delta of deltasOf(block, options.chunks)) {
        await pause(everyMs, signal);
        // A benchmark measures delivery latency from the moment each chunk is written.
        const sent =
          options.stamp && delta.type === 'text_delta' ? { ...delta, text: `stamp:${performance.timeOrigin + performance.now()} ` } : delta;
        event({ type: 'content_block_delta', index, delta: sent });
      }
      if (options.unfinished) return;
    } else if (block.type === 'text' && options.chunks) {
      // Without partial messages the whole block arrives at once, after the time streaming takes.
      for (let i = 0; i < options.chunks.length; i++) await pause(everyMs, signal);
    }
    if (options.unfinished) return;
    send(frame(block));
    if (cli.partial) event({ type: 'content_block_stop', index });
  }
  if (cli.partial) {
    event({
      type: 'message_delta',
      delta: { stop_reason: blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn' },
      usage: { output_tokens: 5 },
    });
    event({ type: 'message_stop' });
  }
}

/** @param {Frame} block @param {string[] | undefined} chunks @returns {Frame[]} */
function deltasOf(block, chunks) {
  if (block.type === 'text') return (chunks ?? [String(block.text)]).map((text) => ({ type: 'text_delta', text }));
  if (block.type === 'thinking') return [{ type: 'thinking_delta', thinking: String(block.thinking) }];
  return [{ type: 'input_json_delta', partial_json: JSON.stringify(block.input) }];
}

/**
 * Runs the host's UserPromptSubmit hooks for a prompt, as the CLI does through `hook_callback`
 * before the prompt goes to the model; resolves with the context they add, joined ('' for none).
 * @param {string[]} callbackIds @param {string} prompt
 * @returns {Promise<string>}
 */
export async function promptSubmitContext(callbackIds, prompt) {
  const answers = await Promise.all(
    callbackIds.map(
      (callbackId) =>
        /** @type {Promise<Frame>} */ (
          new Promise((resolvePromise) => {
            const requestId = `fake-hook-${++requestCounter}`;
            awaitingHost.set(requestId, resolvePromise);
            send({
              type: 'control_request',
              request_id: requestId,
              request: {
                subtype: 'hook_callback',
                callback_id: callbackId,
                input: { session_id: sessionId, cwd: process.cwd(), hook_event_name: 'UserPromptSubmit', prompt, source: 'sdk' },
              },
            });
          })
        ),
    ),
  );
  return answers
    .map((answer) => {
      const output = /** @type {Frame} */ (/** @type {Frame} */ (answer.response ?? {}).hookSpecificOutput ?? {});
      return answer.subtype === 'success' && typeof output.additionalContext === 'string' ? output.additionalContext : '';
    })
    .filter(Boolean)
    .join('\n');
}

/**
 * Asks the host through `can_use_tool` and waits for its answer; on interrupt the request is
 * withdrawn with `control_cancel_request`, as the CLI does.
 * @param {Frame} block @param {boolean} withdraw @param {AbortSignal} signal
 * @returns {Promise<PermissionDecision>}
 */
export function askPermission(block, withdraw, signal) {
  const requestId = `fake-perm-${++requestCounter}`;
  const input = /** @type {Frame} */ (block.input);
  send({
    type: 'control_request',
    request_id: requestId,
    request: {
      subtype: 'can_use_tool',
      tool_name: block.name,
      display_name: block.name,
      input,
      description: typeof input.description === 'string' ? input.description : undefined,
      tool_use_id: block.id,
    },
  });
  return new Promise((resolvePromise, reject) => {
    const cancel = () => {
      if (!awaitingHost.delete(requestId)) return;
      send({ type: 'control_cancel_request', request_id: requestId });
    };
    awaitingHost.set(requestId, (response) => {
      signal.removeEventListener('abort', onAbort);
      if (response.subtype !== 'success') return resolvePromise({ behavior: 'deny', message: String(response.error ?? 'error') });
      resolvePromise(/** @type {PermissionDecision} */ (response.response));
    });
    const onAbort = () => {
      cancel();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    if (withdraw) {
      setTimeout(() => {
        if (!awaitingHost.has(requestId)) return;
        log(`withdrawing permission request ${requestId} (scenario word "withdraw")`);
        cancel();
        signal.removeEventListener('abort', onAbort);
        resolvePromise({ behavior: 'deny', message: 'Claude withdrew the request' });
      }, 300);
    }
  });
}

/** @param {Frame} block @param {PermissionDecision} decision */
export function sendToolResult(block, decision) {
  const allowed = decision.behavior === 'allow';
  // The real CLI tells the model the deny message itself, nothing around it.
  const content = !allowed
    ? ('message' in decision && decision.message) || 'Permission request denied'
    : block.name === 'Bash'
      ? 'hello from the fake Claude'
      : `The file ${String(/** @type {Frame} */ (block.input).file_path)} has been updated (by the fake Claude; nothing was written).`;
  send({
    type: 'user',
    message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: block.id, content, is_error: !allowed }] },
    parent_tool_use_id: null,
    session_id: sessionId,
    uuid: randomUUID(),
    tool_use_result: allowed ? { stdout: content, stderr: '', interrupted: false } : `Error: ${content}`,
  });
}

/**
 * @param {{ startedAt: number, isError: boolean, subtype: string, result?: string, errors?: string[], terminalReason?: string }} outcome
 */
export function sendResult(outcome) {
  totalCostUsd = Math.round((totalCostUsd + COST_PER_TURN_USD) * 1e6) / 1e6;
  send({
    type: 'result',
    subtype: outcome.subtype,
    is_error: outcome.isError,
    duration_ms: Date.now() - outcome.startedAt,
    duration_api_ms: Date.now() - outcome.startedAt,
    num_turns: 1,
    ...(outcome.result === undefined ? {} : { result: outcome.result }),
    ...(outcome.errors === undefined ? {} : { errors: outcome.errors }),
    stop_reason: outcome.isError ? null : 'end_turn',
    session_id: sessionId,
    total_cost_usd: totalCostUsd,
    usage: { input_tokens: 20, output_tokens: 10, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    modelUsage: {},
    permission_denials: [],
    ...(outcome.terminalReason === undefined ? {} : { terminal_reason: outcome.terminalReason }),
    uuid: randomUUID(),
  });
}

export function endInterruptedTurn() {
  send({
    type: 'user',
    message: { role: 'user', content: [{ type: 'text', text: '[Request interrupted by user]' }] },
    parent_tool_use_id: null,
    session_id: sessionId,
    uuid: randomUUID(),
  });
  // Like the CLI after an interrupt: an error_during_execution result with no `result` key.
  sendResult({ startedAt: Date.now(), isError: true, subtype: 'error_during_execution', errors: [], terminalReason: 'aborted_streaming' });
}

/** @param {number} ms @param {AbortSignal} signal */
export function pause(ms, signal) {
  if (signal.aborted) return Promise.reject(signal.reason);
  if (ms < 0) return new Promise((resolvePromise) => setImmediate(resolvePromise));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolvePromise(undefined);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
