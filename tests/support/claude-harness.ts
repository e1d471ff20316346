import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClaudeAgentFactory, type ClaudeAgent, fakeClaudePath, type ClaudeAgentConfig } from '../../lib/core/claude/index.ts';
import { EventBus, Session, SessionManager, type AgentFactory, type CoreEvent } from '../../lib/core/index.ts';
import type { SessionState, TranscriptEntry, TranscriptEvent } from '../../lib/protocol/index.ts';
import { isAlive } from './processes.ts';

export const OWNER = 'owner';
/**
 * Real sessions (lib/core) running the real Claude agent, which drives the fake Claude through
 * the real Agent SDK. Call `cleanup` in afterEach: it ends every session and checks that no
 * Claude process outlives it.
 */
export function claudeHarness(config: ClaudeAgentConfig = {}) {
  const bus = new EventBus<CoreEvent>({ ringSize: 100_000 });
  const published: CoreEvent[] = [];
  bus.subscribe((entry) => published.push(entry.event));
  const transcripts = new Map<string, TranscriptEntry[]>();
  bus.subscribe(({ event }) => {
    if (event.type !== 'session_event') return;
    let entries = transcripts.get(event.session_id);
    if (!entries) transcripts.set(event.session_id, (entries = []));
    entries.push(event.entry);
  });
  /** A session's transcript as published (hand-made sessions have no store behind them). */
  const transcript = (session: Session): TranscriptEntry[] => transcripts.get(session.id) ?? [];
  const agents: ClaudeAgent[] = [];
  const makeAgent = createClaudeAgentFactory({ executable: fakeClaudePath(), env: process.env, killGraceMs: 1000, ...config });
  const agentFactory: AgentFactory = (options, emit) => {
    const agent = makeAgent(options, emit) as ClaudeAgent;
    agents.push(agent);
    return agent;
  };
  const manager = new SessionManager({ bus, agentFactory });
  const workDir = mkdtempSync(join(tmpdir(), 'vibes-claude-'));
  const handMade: Session[] = [];

  const agentBySession = new Map<string, ClaudeAgent>();

  /** Sessions are created one at a time here, so the agent made during a create is its own. */
  const create = async (options: { prompt?: string; cwd?: string; model?: string } = {}): Promise<Session> => {
    const index = agents.length;
    const session = await manager.create({
      ownerId: OWNER,
      cwd: options.cwd ?? workDir,
      source: 'cli',
      ...(options.prompt === undefined ? {} : { prompt: options.prompt }),
      ...(options.model === undefined ? {} : { model: options.model }),
    });
    const agent = agents[index];
    if (agent) agentBySession.set(session.id, agent);
    return session;
  };

  const send = (session: Session, content: string) => session.sendInput(content, { clientId: OWNER, source: 'cli' });

  const events = (session: Session): TranscriptEvent[] => transcript(session).map((entry) => entry.event);

  /** The states this session went through, as published, with consecutive repeats folded. */
  const states = (session: Session): SessionState[] => {
    const seen: SessionState[] = [];
    for (const event of published) {
      if (event.type !== 'session_updated' || event.session.id !== session.id) continue;
      if (seen.at(-1) !== event.session.state) seen.push(event.session.state);
    }
    return seen;
  };

  const agentOf = (session: Session): ClaudeAgent => {
    const agent = agentBySession.get(session.id);
    if (!agent) throw new Error(`no agent for session ${session.id}`);
    return agent;
  };

  /** A session built by hand, for what the manager does not offer (resuming Claude's session). */
  const resumeSession = async (claudeSessionId: string, prompt?: string): Promise<Session> => {
    const index = agents.length;
    const session = new Session({
      id: `resumed-${index}`,
      name: null,
      cwd: workDir,
      model: null,
      ownerId: OWNER,
      claudeSessionId,
      agentFactory,
      publish: (event) => bus.publish(event),
    });
    handMade.push(session);
    const agent = agents[index];
    if (agent) agentBySession.set(session.id, agent);
    await session.start();
    if (prompt !== undefined) send(session, prompt);
    return session;
  };

  const cleanup = async () => {
    await Promise.allSettled([manager.shutdown(), ...handMade.map((session) => session.stop())]);
    const survivors = agents.map((agent) => agent.pid).filter((pid): pid is number => pid !== undefined && isAlive(pid));
    for (const pid of survivors) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
    rmSync(workDir, { recursive: true, force: true });
    if (survivors.length > 0) throw new Error(`Claude processes outlived their sessions: ${survivors.join(', ')}`);
  };

  return { bus, published, agents, manager, workDir, create, resumeSession, send, events, states, agentOf, cleanup, transcript };
}

/** Polls until `check` holds, failing with `description` after `timeoutMs`. */
export async function waitFor(check: () => boolean, description: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const waitForState = (session: Session, state: SessionState, timeoutMs?: number) =>
  waitFor(() => session.state === state, `session state ${state} (now ${session.state})`, timeoutMs);

/** Events of one type, narrowed. */
export function ofType<K extends TranscriptEvent['type']>(events: TranscriptEvent[], type: K): Extract<TranscriptEvent, { type: K }>[] {
  return events.filter((event): event is Extract<TranscriptEvent, { type: K }> => event.type === type);
}

/** Waits until the Claude process `pid` is gone (no zombie either). */
export const waitForExit = (pid: number, timeoutMs = 5000) => waitFor(() => !isAlive(pid), `process ${pid} to end`, timeoutMs);
