import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import type { SessionInfo, SessionState, TranscriptEvent } from '../../lib/protocol/index.ts';
import { TestEventStream } from './event-stream.ts';
import { childPids, isAlive } from './processes.ts';
import { REAL_CLAUDE_TIMEOUT_MS, startRealClaudeServer } from './real-claude-server.ts';
import { startScriptedModel, type ScriptedModel } from './scripted-model.ts';
import type { ServerProcess, ServerProcessOptions } from './server-process.ts';

export {
  REAL_CLAUDE_PATH,
  REAL_CLAUDE_TIMEOUT_MS,
  realClaudeEnv,
  startRealClaudeServer,
  withoutClaudeSettings,
} from './real-claude-server.ts';

export const TESTER = 'real-claude-tester';

/**
 * For a test file: one scripted model and one vibes server running the real Claude, shared by
 * its tests; one event stream as the client `TESTER`, who owns every session it creates.
 * Each test gets its own work dir (`workDir()`) and scripts its own conversation by a marker.
 */
export function useRealClaude(options: ServerProcessOptions = {}) {
  let model: ScriptedModel | undefined;
  let server: ServerProcess | undefined;
  let claudeHome: string | undefined;
  let stream: TestEventStream | undefined;
  const workDirs: string[] = [];
  let markers = 0;

  beforeAll(async () => {
    model = await startScriptedModel();
    ({ server, claudeHome } = await startRealClaudeServer(model, options));
    stream = await TestEventStream.open(server.url, { clientId: TESTER, headers: { Authorization: `Bearer ${server.token()}` } });
  }, REAL_CLAUDE_TIMEOUT_MS);

  afterAll(async () => {
    stream?.close();
    await server?.stop();
    await model?.close();
    for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
    if (claudeHome) rmSync(claudeHome, { recursive: true, force: true });
  }, REAL_CLAUDE_TIMEOUT_MS);

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not running`);
    return value;
  };

  const harness = {
    get model() {
      return need(model, 'the scripted model');
    },
    get server() {
      return need(server, 'the vibes server');
    },
    get stream() {
      return need(stream, 'the event stream');
    },
    get claudeHome() {
      return need(claudeHome, 'the Claude home');
    },
    client(clientId = TESTER) {
      const current = harness.server;
      return new ApiClient({ baseUrl: current.url, token: current.token(), clientId });
    },
    /** A fresh, empty work dir for one test, removed after the file. */
    workDir(): string {
      const dir = mkdtempSync(join(tmpdir(), 'vibes-real-work-'));
      workDirs.push(dir);
      return dir;
    },
    /** A marker unique within the file, to put in a prompt and script its conversation by. */
    marker(name: string): string {
      return `[${name}-${++markers}-${Math.random().toString(36).slice(2, 8)}]`;
    },
    /** Creates a session in `cwd` with a first prompt, as TESTER. */
    async start(prompt: string, cwd: string, extra: { name?: string; model?: string } = {}): Promise<SessionInfo> {
      return harness.client().createSession({ prompt, cwd, ...extra });
    },
    /** The transcript events of a session that this file's stream has seen, in order. */
    events(sessionId: string): TranscriptEvent[] {
      return harness.stream.events('session_event').flatMap((event) => (event.session_id === sessionId ? [event.event] : []));
    },
    /** The states a session went through as the stream saw them, consecutive repeats folded. */
    states(sessionId: string): SessionState[] {
      const seen: SessionState[] = [];
      for (const event of harness.stream.events('session_updated')) {
        if (event.session.id !== sessionId) continue;
        if (seen.at(-1) !== event.session.state) seen.push(event.session.state);
      }
      return seen;
    },
    /** The latest session info the stream has seen. */
    latest(sessionId: string): SessionInfo | undefined {
      return harness.stream.events('session_updated').findLast((event) => event.session.id === sessionId)?.session;
    },
    /** Waits for the first transcript event of a session that matches. */
    async waitForEvent<K extends TranscriptEvent['type']>(
      sessionId: string,
      type: K,
      matches: (event: Extract<TranscriptEvent, { type: K }>) => boolean = () => true,
      timeoutMs = REAL_CLAUDE_TIMEOUT_MS,
    ): Promise<Extract<TranscriptEvent, { type: K }>> {
      return harness.stream.waitFor(
        () => ofType(harness.events(sessionId), type).find(matches),
        `a ${type} event of session ${sessionId}`,
        timeoutMs,
      );
    },
    /** Waits for the `count`-th turn_complete of a session. */
    /** Waits for `count` turns to complete and for the list update that follows (list updates are coalesced, so it may come a moment later). */
    async waitForTurns(sessionId: string, count = 1, timeoutMs = REAL_CLAUDE_TIMEOUT_MS) {
      return harness.stream.waitFor(
        () => {
          const turns = ofType(harness.events(sessionId), 'turn_complete');
          if (turns.length < count) return undefined;
          const frames = harness.stream.frames;
          const turnAt = frames.findIndex(({ event }) => event.type === 'session_event' && event.event === turns[count - 1]);
          const listCaughtUp = frames
            .slice(turnAt + 1)
            .some(({ event }) => event.type === 'session_updated' && event.session.id === sessionId);
          return listCaughtUp ? turns : undefined;
        },
        `${count} turn(s) of session ${sessionId} to complete`,
        timeoutMs,
      );
    },
    /** Waits until the stream shows the session in `state`. */
    async waitForState(sessionId: string, state: SessionState, timeoutMs = REAL_CLAUDE_TIMEOUT_MS): Promise<SessionInfo> {
      return harness.stream.waitFor(
        () => {
          const latest = harness.latest(sessionId);
          return latest?.state === state ? latest : undefined;
        },
        `session ${sessionId} to be ${state} (states seen: ${harness.states(sessionId).join(' > ')})`,
        timeoutMs,
      );
    },
    /** Waits for a pending permission request of a session, by tool name. */
    async waitForPermission(sessionId: string, toolName: string, timeoutMs = REAL_CLAUDE_TIMEOUT_MS) {
      return harness.waitForEvent(sessionId, 'permission_request', (event) => event.tool_name === toolName, timeoutMs);
    },
    async allow(sessionId: string, requestId: string): Promise<SessionInfo> {
      return harness.client().answerPermission(sessionId, requestId, { behavior: 'allow' });
    },
    async deny(sessionId: string, requestId: string, message?: string): Promise<SessionInfo> {
      return harness.client().answerPermission(sessionId, requestId, { behavior: 'deny', ...(message ? { message } : {}) });
    },
    /** Pids of the live `claude` processes this server runs (its child processes). */
    claudePids(): number[] {
      return childPids(harness.server.pid).filter(isAlive);
    },
  };
  return harness;
}

/** Events of one type, narrowed. */
export function ofType<K extends TranscriptEvent['type']>(events: TranscriptEvent[], type: K): Extract<TranscriptEvent, { type: K }>[] {
  return events.filter((event): event is Extract<TranscriptEvent, { type: K }> => event.type === type);
}
