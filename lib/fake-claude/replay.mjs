// @ts-check
/**
 * Replays real captures (lib/fake-claude/captures) frame for frame: the CLI side of each turn,
 * with `can_use_tool` requests sent to the host and waited for.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { askPermission, cli, log, pause, send, sendAssistantMessage, sendInit, sendResult } from './protocol.mjs';

/** @typedef {import('./protocol.mjs').Frame} Frame */

/**
 * Where the captures live: beside this file in the source tree; the build (dist/lib/fake-claude)
 * compiles the scripts only, so from there they are read in the source tree the package ships.
 */
export const CAPTURES_DIR =
  [
    join(dirname(fileURLToPath(import.meta.url)), 'captures'),
    join(dirname(fileURLToPath(import.meta.url)), '../../../lib/fake-claude/captures'),
  ].find((dir) => existsSync(dir)) ?? join(dirname(fileURLToPath(import.meta.url)), 'captures');

export class Replay {
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
  const dir = process.env.VIBES_FAKE_CLAUDE_FIXTURES || CAPTURES_DIR;
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((file) => file.endsWith('.jsonl'))
        .sort()
    : [];
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
