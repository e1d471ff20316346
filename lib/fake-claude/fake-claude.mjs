#!/usr/bin/env node
// @ts-check
/**
 * A stand-in for the `claude` CLI that speaks the stdio stream-json protocol the Agent SDK
 * speaks, scripted by the words of each user prompt. It drives the demo and every test that
 * needs a Claude process. The scenario words are documented in lib/fake-claude/README.md.
 *
 * stdout carries protocol frames only; everything meant for people goes to stderr.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { clearTimeout, setImmediate, setInterval, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

const FAKE_VERSION = '2.1.238-fake';
const COST_PER_TURN_USD = 0.0125;
const HERE = dirname(fileURLToPath(import.meta.url));
// From lib/fake-claude in the source tree, or from dist/lib/fake-claude in a build.
const FIXTURES_DIRS = [join(HERE, '..', '..', 'tests', 'fixtures', 'claude-stream-json'), join(HERE, '..', '..', '..', 'tests', 'fixtures', 'claude-stream-json')];

/** @typedef {Record<string, unknown>} Frame */
/** @typedef {{ behavior: 'allow', updatedInput?: unknown } | { behavior: 'deny', message?: string }} PermissionDecision */

const cli = parseArgs(process.argv.slice(2));
const sessionId = cli.resume ?? randomUUID();
const model = cli.model ?? 'claude-fake-1';

let totalCostUsd = 0;
let messageCounter = 0;
let requestCounter = 0;
/** @type {Map<string, (response: Frame) => void>} */
const awaitingHost = new Map();
/** @type {string[]} */
const inbox = [];
/** @type {globalThis.AbortController | null} */
let runningTurn = null;
/** @type {Replay | null} */
let replay = null;
let stubborn = false;

function log(/** @type {string} */ text) {
  process.stderr.write(`fake-claude: ${text}\n`);
}

function send(/** @type {Frame} */ frame) {
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

// ---------------------------------------------------------------------------------------------
// stdin: user turns and the host's control frames

const stdin = createInterface({ input: process.stdin });
stdin.on('line', (line) => {
  if (!line.trim()) return;
  /** @type {Frame} */
  let frame;
  try {
    frame = JSON.parse(line);
  } catch {
    log(`ignoring a line that is not JSON: ${line.slice(0, 80)}`);
    return;
  }
  if (frame.type === 'user') {
    inbox.push(promptText(frame));
    if (!runningTurn) void drainInbox();
  } else if (frame.type === 'control_request') {
    answerHostRequest(frame);
  } else if (frame.type === 'control_response') {
    const response = /** @type {Frame} */ (frame.response ?? {});
    const waiting = awaitingHost.get(String(response.request_id));
    awaitingHost.delete(String(response.request_id));
    // A late answer to a request we withdrew has nobody waiting: drop it, as the CLI does.
    waiting?.(response);
  }
});
stdin.on('close', () => {
  if (stubborn) {
    log('stdin closed, but this is the stubborn scenario: staying up');
    return;
  }
  process.stdout.write('', () => process.exit(0));
});

/** @param {Frame} frame */
function promptText(frame) {
  const message = /** @type {Frame} */ (frame.message ?? {});
  const content = message.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((block) => (block && typeof block.text === 'string' ? block.text : '')).join(' ');
  }
  return '';
}

/** @param {Frame} frame */
function answerHostRequest(frame) {
  const request = /** @type {Frame} */ (frame.request ?? {});
  const requestId = String(frame.request_id);
  const success = (/** @type {Frame} */ response) =>
    send({ type: 'control_response', response: { subtype: 'success', request_id: requestId, response } });
  switch (request.subtype) {
    case 'initialize':
      success(replay?.initializeResponse ?? initializeResponse());
      return;
    case 'interrupt':
      runningTurn?.abort();
      success({});
      return;
    default:
      // set_permission_mode, set_model, mcp_status...: nothing to change in a fake.
      success({});
  }
}

function initializeResponse() {
  return {
    commands: [],
    agents: [],
    output_style: 'default',
    available_output_styles: ['default'],
    models: [{ value: model, displayName: 'Fake Claude', description: 'The scripted stand-in' }],
    account: {},
    pid: process.pid,
  };
}

async function drainInbox() {
  while (inbox.length > 0) {
    const prompt = /** @type {string} */ (inbox.shift());
    const turn = new globalThis.AbortController();
    runningTurn = turn;
    try {
      await runTurn(prompt, turn.signal);
    } catch (error) {
      if (!turn.signal.aborted) throw error;
      endInterruptedTurn();
    } finally {
      runningTurn = null;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// scripted turns

/**
 * @typedef {object} Script
 * @property {number} chunks
 * @property {number} chunkChars
 * @property {number} everyMs
 * @property {boolean} think
 * @property {string[]} tools
 * @property {boolean} withdraw
 * @property {boolean} long
 * @property {boolean} errorResult
 * @property {boolean} crash
 * @property {boolean} hang
 * @property {boolean} env
 * @property {boolean} notLoggedIn
 * @property {boolean} stubborn
 * @property {boolean} stamp
 * @property {string | null} replay
 */

/** @param {string} prompt @returns {Script} */
function parseScript(prompt) {
  const text = prompt.toLowerCase();
  const has = (/** @type {string} */ word) => new RegExp(`(^|[^a-z0-9-])${word}($|[^a-z0-9-])`).test(text);
  const stream = /stream\s+(\d+)\s+chunks?(?:\s+of\s+(\d+)\s+chars?)?(?:\s+(?:every\s+)?(\d+)\s*ms)?/.exec(text);
  const pace = /every\s+(\d+)\s*ms/.exec(text);
  const replayMatch = /(?:^|\s)replay\s+(\S+)/i.exec(prompt);
  const tools = [];
  if (has('two-permissions')) tools.push('Bash', 'Edit');
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
    errorResult: has('error-result'),
    crash: has('crash'),
    hang: has('hang'),
    env: has('env'),
    notLoggedIn: has('not-logged-in'),
    stubborn: has('stubborn'),
    stamp: has('stamp'),
    replay: replayMatch?.[1] ?? null,
  };
}

/** @param {string} prompt @param {AbortSignal} signal */
async function runTurn(prompt, signal) {
  if (replay) return replay.nextTurn(signal);
  const script = parseScript(prompt);
  if (script.replay) {
    replay = Replay.load(script.replay, script.everyMs);
    return replay.nextTurn(signal);
  }
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
    for (const tool of script.tools) opening.push({ type: 'tool_use', id: `toolu_fake_${randomUUID()}`, name: tool, input: toolInput(tool) });
  }
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
    await sendAssistantMessage([{ type: 'text', text: 'Working on it, this will take a moment' }], script.everyMs, signal, { unfinished: true });
    log('simulated crash in the middle of a turn');
    process.stderr.write('Error: the fake Claude crashed on purpose (scenario word "crash")\n', () => process.exit(1));
    return new Promise(() => {});
  }
  if (script.hang) {
    log('hanging until interrupted (scenario word "hang")');
    return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
  }

  const reply = replyChunks(script, prompt, toolUses, outcomes);
  await sendAssistantMessage([{ type: 'text', text: reply.join('') }], script.everyMs, signal, { chunks: reply, stamp: script.stamp });
  sendResult({
    startedAt,
    isError: script.errorResult,
    subtype: script.errorResult ? 'error_during_execution' : 'success',
    ...(script.errorResult ? { errors: ['The fake Claude ended this turn with an error (scenario word "error-result")'] } : { result: reply.join('') }),
  });
}

/** @param {string} tool */
function toolInput(tool) {
  switch (tool) {
    case 'Bash':
      return { command: 'echo hello from the fake Claude', description: 'Print a greeting' };
    case 'Edit':
      return { file_path: join(process.cwd(), 'notes.txt'), old_string: 'old', new_string: 'new' };
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
    return [`PATH=${process.env.PATH ?? ''}\n`, `HOME=${process.env.HOME ?? ''}\n`, `ANTHROPIC_API_KEY=${fingerprint}\n`, `CWD=${process.cwd()}\n`];
  }
  if (script.chunkChars > 0) {
    return Array.from({ length: script.chunks }, (_, i) => String.fromCharCode(97 + (i % 26)).repeat(script.chunkChars));
  }
  if (script.long) {
    return Array.from({ length: script.chunks }, (_, i) => `Paragraph ${i + 1}: the fake Claude goes on at length so the transcript has to scroll.\n\n`);
  }
  if (toolUses.length > 0) {
    const summary = toolUses.map((tool, i) => `${String(tool.name)} was ${outcomes[i]?.behavior === 'allow' ? 'allowed' : 'denied'}`).join(', ');
    return [`Done: ${summary}.`];
  }
  if (script.chunks !== 3 || script.everyMs > 0) {
    return Array.from({ length: script.chunks }, (_, i) => `Chunk ${i + 1} of ${script.chunks}. `);
  }
  return ['You said: ', JSON.stringify(prompt), '.'];
}

function sendInit() {
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
async function sendAssistantMessage(blocks, everyMs, signal, options = {}) {
  const id = `msg_fake_${++messageCounter}`;
  const frame = (/** @type {Frame} */ block) => ({
    type: 'assistant',
    message: { id, type: 'message', role: 'assistant', model, content: [block], stop_reason: null, usage: { input_tokens: 10, output_tokens: 5 } },
    parent_tool_use_id: null,
    session_id: sessionId,
    uuid: randomUUID(),
  });
  const event = (/** @type {Frame} */ streamEvent) =>
    send({ type: 'stream_event', event: streamEvent, parent_tool_use_id: null, session_id: sessionId, uuid: randomUUID() });
  if (cli.partial) event({ type: 'message_start', message: { id, type: 'message', role: 'assistant', model, content: [], usage: { input_tokens: 10, output_tokens: 0 } } });
  for (const [index, block] of blocks.entries()) {
    if (cli.partial) {
      const empty = block.type === 'text' ? { type: 'text', text: '' } : block.type === 'thinking' ? { type: 'thinking', thinking: '' } : { ...block, input: {} };
      event({ type: 'content_block_start', index, content_block: empty });
      for (const delta of deltasOf(block, options.chunks)) {
        await pause(everyMs, signal);
        // A benchmark measures delivery latency from the moment each chunk is written.
        const sent = options.stamp && delta.type === 'text_delta' ? { ...delta, text: `stamp:${performance.timeOrigin + performance.now()} ` } : delta;
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
    event({ type: 'message_delta', delta: { stop_reason: blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn' }, usage: { output_tokens: 5 } });
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
 * Asks the host through `can_use_tool` and waits for its answer; on interrupt the request is
 * withdrawn with `control_cancel_request`, as the CLI does.
 * @param {Frame} block @param {boolean} withdraw @param {AbortSignal} signal
 * @returns {Promise<PermissionDecision>}
 */
function askPermission(block, withdraw, signal) {
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
function sendToolResult(block, decision) {
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
function sendResult(outcome) {
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

function notLoggedIn() {
  const text = 'Not logged in · Please run /login';
  send({
    type: 'assistant',
    message: { id: randomUUID(), type: 'message', role: 'assistant', model: '<synthetic>', content: [{ type: 'text', text }], stop_reason: 'stop_sequence', usage: { input_tokens: 0, output_tokens: 0 } },
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
    total_cost_usd: totalCostUsd,
    usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    modelUsage: {},
    permission_denials: [],
    terminal_reason: 'api_error',
    uuid: randomUUID(),
  });
}

function endInterruptedTurn() {
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
function pause(ms, signal) {
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

// ---------------------------------------------------------------------------------------------
// replay of real captures (tests/fixtures/claude-stream-json)

class Replay {
  /** @type {Frame[][]} */
  turns;
  /** @type {Frame | undefined} */
  initializeResponse;
  /** @type {number} */
  everyMs;
  /** @type {boolean} */
  processEnds;

  /**
   * @param {Frame[][]} turns @param {Frame | undefined} initializeResponse
   * @param {number} everyMs @param {boolean} processEnds
   */
  constructor(turns, initializeResponse, everyMs, processEnds) {
    this.turns = turns;
    this.initializeResponse = initializeResponse;
    this.everyMs = everyMs;
    this.processEnds = processEnds;
  }

  /** @param {string} name @param {number} everyMs */
  static load(name, everyMs) {
    const file = findCapture(name);
    log(`replaying ${file}`);
    const processes = splitProcesses(readCapture(file));
    // The second process of a capture is a resumed session: play it when started with --resume.
    const chosen = (cli.resume !== undefined && processes.length > 1 ? processes[1] : processes[0]) ?? [];
    const initialize = chosen.find((frame) => frame.type === 'control_response');
    const initializeResponse = /** @type {Frame | undefined} */ (/** @type {Frame | undefined} */ (initialize?.response)?.response);
    const turns = splitTurns(chosen.filter((frame) => frame !== initialize));
    const lastTurn = turns.at(-1) ?? [];
    const processEnds = !lastTurn.some((frame) => frame.type === 'result');
    return new Replay(turns, initializeResponse, everyMs, processEnds);
  }

  /** @param {AbortSignal} signal */
  async nextTurn(signal) {
    const frames = this.turns.shift();
    if (!frames) {
      const startedAt = Date.now();
      sendInit();
      await sendAssistantMessage([{ type: 'text', text: 'The replay has ended; nothing more was captured.' }], 0, signal);
      sendResult({ startedAt, isError: false, subtype: 'success', result: 'The replay has ended; nothing more was captured.' });
      return;
    }
    for (const frame of frames) {
      await pause(this.everyMs, signal);
      if (frame.type === 'stream_event' && !cli.partial) continue;
      if (frame.type === 'control_response') continue;
      if (frame.type === 'control_request') {
        await this.#replayControlRequest(frame, signal);
        continue;
      }
      send(frame);
    }
    if (this.turns.length === 0 && this.processEnds) {
      // The capture stops here without a result (the recorder stopped the process): so do we.
      log('the capture ends mid-turn; waiting to be interrupted or stopped');
      await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    }
  }

  /** @param {Frame} frame @param {AbortSignal} signal */
  async #replayControlRequest(frame, signal) {
    const request = /** @type {Frame} */ (frame.request ?? {});
    // hook_callback and mcp_message serve hooks and SDK MCP servers the recording host had
    // registered; a host that registered none (vibes) would only answer them with errors.
    if (request.subtype !== 'can_use_tool') return;
    const input = /** @type {Frame} */ (request.input ?? {});
    const decision = await askPermission({ type: 'tool_use', id: request.tool_use_id, name: request.tool_name, input }, false, signal);
    log(`the host answered ${String(request.tool_name)} with ${decision.behavior}; the capture continues as recorded`);
  }
}

/** @param {string} name */
function findCapture(name) {
  const direct = isAbsolute(name) ? name : resolve(process.cwd(), name);
  if (existsSync(direct) && !name.endsWith('/')) return direct;
  const dir = process.env.VIBES_FAKE_CLAUDE_FIXTURES || FIXTURES_DIRS.find((candidate) => existsSync(candidate)) || String(FIXTURES_DIRS[0]);
  const files = existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.jsonl')).sort() : [];
  const matches = files.filter((file) => file.includes(name));
  const best = matches.find((file) => file.endsWith('.stdout.jsonl')) ?? matches[0];
  if (!best) {
    log(`no capture matches "${name}" in ${dir}`);
    process.stderr.write(`Error: no capture named ${name}\n`, () => process.exit(1));
    throw new Error('unreachable');
  }
  return join(dir, best);
}

/** A `.wire.jsonl` holds both directions in bb's envelope; keep what the CLI wrote. @param {string} file */
function readCapture(file) {
  /** @type {Frame[]} */
  const frames = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line);
    if (typeof entry.dir === 'string' && typeof entry.line === 'string') {
      if (entry.dir.startsWith('provider')) frames.push(JSON.parse(entry.line));
    } else {
      frames.push(entry);
    }
  }
  return frames;
}

/**
 * A capture can hold several CLI processes back to back. Each answers its host's `initialize`
 * once (a `control_response` that is not the first); the startup hook frames just before that
 * answer belong to the new process too.
 * @param {Frame[]} frames
 */
function splitProcesses(frames) {
  /** @type {number[]} */
  const starts = [0];
  let seenInitialize = false;
  for (const [index, frame] of frames.entries()) {
    if (frame.type !== 'control_response') continue;
    const response = /** @type {Frame} */ (/** @type {Frame} */ (frame.response ?? {}).response ?? {});
    if (!('commands' in response)) continue;
    if (seenInitialize) {
      let start = index;
      while (start > 0 && isStartupFrame(/** @type {Frame} */ (frames[start - 1]))) start--;
      starts.push(start);
    }
    seenInitialize = true;
  }
  return starts.map((start, i) => frames.slice(start, starts[i + 1] ?? frames.length));
}

/** @param {Frame} frame */
function isStartupFrame(frame) {
  if (frame.type === 'control_request') return true;
  return frame.type === 'system' && (frame.subtype === 'hook_started' || frame.subtype === 'hook_response');
}

/** One turn per `result`; frames after the last result (lifecycle notes) stay with that turn. @param {Frame[]} frames */
function splitTurns(frames) {
  /** @type {Frame[][]} */
  const turns = [[]];
  for (const frame of frames) {
    /** @type {Frame[]} */ (turns.at(-1)).push(frame);
    if (frame.type === 'result') turns.push([]);
  }
  const last = /** @type {Frame[]} */ (turns.at(-1));
  if (turns.length > 1 && !last.some((frame) => frame.type === 'assistant' || frame.type === 'stream_event' || frame.type === 'result')) {
    turns.pop();
    /** @type {Frame[]} */ (turns.at(-1)).push(...last);
  }
  return turns;
}

const die = (/** @type {unknown} */ error) => {
  process.stderr.write(`fake-claude: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`, () => process.exit(1));
};
process.on('uncaughtException', die);
process.on('unhandledRejection', die);
