#!/usr/bin/env node
// @ts-check
/**
 * A stand-in for the `claude` CLI that speaks the stdio stream-json protocol the Agent SDK
 * speaks, scripted by the words of each user prompt. It drives the demo and the tests that
 * need a fast, scriptable Claude process (load, faults, replays). The scenario words are
 * documented in lib/fake-claude/README.md. Its parts: protocol.mjs (frames, control requests),
 * scripted-turns.mjs (the prompt words), replay.mjs (real captures in captures/).
 *
 * stdout carries protocol frames only; everything meant for people goes to stderr.
 */
import { createInterface } from 'node:readline';
import { contextUsage } from './context.mjs';
import { awaitingHost, endInterruptedTurn, initializeResponse, log, promptSubmitContext, send } from './protocol.mjs';
import { Replay } from './replay.mjs';
import { isStubborn, parseScript, runScriptedTurn } from './scripted-turns.mjs';

/** @typedef {import('./protocol.mjs').Frame} Frame */

/** Messages waiting for their turn: the prompt, and what came attached. @type {{ prompt: string, seen: string }[]} */
const inbox = [];
/** @type {globalThis.AbortController | null} */
let runningTurn = null;
/** The ids of the messages sent: the fake writes no file, so rewinding to one of them restores nothing. @type {Set<string>} */
const sentMessages = new Set();
/** Once a prompt asks for a replay, every later turn plays the capture. @type {Replay | null} */
let replay = null;
/** The host's UserPromptSubmit hooks, from its initialize request: asked before each prompt. @type {string[]} */
let promptHooks = [];

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
    if (typeof frame.uuid === 'string') sentMessages.add(frame.uuid);
    inbox.push({ prompt: promptText(frame), seen: describeAttachments(frame) });
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
  if (isStubborn()) {
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
    // An attached text file is not part of the prompt: its words must not script the turn.
    return content
      .map((block) => (block && typeof block.text === 'string' && !block.text.startsWith('<file name=') ? block.text : ''))
      .join(' ')
      .trim();
  }
  return '';
}

/**
 * What came with the prompt, said back so tests can check it: "I see 1 image (image/png)."
 * @param {Frame} frame
 */
function describeAttachments(frame) {
  const message = /** @type {Frame} */ (frame.message ?? {});
  if (!Array.isArray(message.content)) return '';
  /** @type {Frame[]} */
  const blocks = message.content;
  const images = blocks
    .filter((block) => block?.type === 'image')
    .map((block) => String(/** @type {Frame} */ (block.source ?? {}).media_type));
  const pdfs = blocks.filter((block) => block?.type === 'document').length;
  const texts = blocks.filter((block) => block?.type === 'text' && String(block.text).startsWith('<file name=')).length;
  const plural = (/** @type {number} */ n, /** @type {string} */ word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [
    ...(images.length > 0 ? [`${plural(images.length, 'image')} (${images.join(', ')})`] : []),
    ...(pdfs > 0 ? [plural(pdfs, 'PDF')] : []),
    ...(texts > 0 ? [plural(texts, 'text file')] : []),
  ];
  return parts.length === 0 ? '' : `I see ${parts.join(', ')}.`;
}

/** @param {Frame} frame */
function answerHostRequest(frame) {
  const request = /** @type {Frame} */ (frame.request ?? {});
  const requestId = String(frame.request_id);
  const success = (/** @type {Frame} */ response) =>
    send({ type: 'control_response', response: { subtype: 'success', request_id: requestId, response } });
  switch (request.subtype) {
    case 'initialize':
      promptHooks = hookCallbackIds(request.hooks, 'UserPromptSubmit');
      success(replay?.initializeResponse ?? initializeResponse());
      return;
    case 'interrupt':
      runningTurn?.abort();
      success({});
      return;
    case 'get_context_usage':
      success(contextUsage());
      return;
    case 'rewind_files':
      if (!sentMessages.has(String(request.user_message_id))) {
        success({ canRewind: false, error: 'No file checkpoint found for this message.' });
      } else {
        success({ canRewind: true, filesChanged: [], insertions: 0, deletions: 0, ...(request.dry_run ? {} : { skippedLinks: 0 }) });
      }
      return;
    default:
      // set_permission_mode, set_model, mcp_status...: nothing to change in a fake.
      success({});
  }
}

/** @param {unknown} hooks @param {string} event @returns {string[]} */
function hookCallbackIds(hooks, event) {
  const matchers = hooks && typeof hooks === 'object' ? /** @type {Frame} */ (hooks)[event] : undefined;
  if (!Array.isArray(matchers)) return [];
  return matchers.flatMap((matcher) => (Array.isArray(matcher?.hookCallbackIds) ? matcher.hookCallbackIds.map(String) : []));
}

async function drainInbox() {
  while (inbox.length > 0) {
    const { prompt, seen } = /** @type {{ prompt: string, seen: string }} */ (inbox.shift());
    const turn = new globalThis.AbortController();
    runningTurn = turn;
    try {
      const told = promptHooks.length > 0 ? await promptSubmitContext(promptHooks, prompt) : '';
      // An interrupt that came while the hooks were asked has no abort event left to fire.
      turn.signal.throwIfAborted();
      await runTurn(prompt, seen, told, turn.signal);
    } catch (error) {
      if (!turn.signal.aborted) throw error;
      endInterruptedTurn();
    } finally {
      runningTurn = null;
    }
  }
}

/** @param {string} prompt @param {string} seen @param {string} told @param {AbortSignal} signal */
async function runTurn(prompt, seen, told, signal) {
  if (replay) return replay.nextTurn(signal);
  const script = parseScript(prompt);
  if (script.replay) {
    replay = Replay.load(script.replay, script.everyMs);
    return replay.nextTurn(signal);
  }
  return runScriptedTurn(prompt, script, signal, seen, told);
}

const die = (/** @type {unknown} */ error) => {
  process.stderr.write(`fake-claude: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`, () => process.exit(1));
};
process.on('uncaughtException', die);
process.on('unhandledRejection', die);
