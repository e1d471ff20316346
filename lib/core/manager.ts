import { stat } from 'node:fs/promises';
import type { InputSource, RemovalReason } from '../protocol/index.ts';
import type { AgentFactory } from './agent.ts';
import type { EventBus } from './bus.ts';
import { VibesError, notFound } from './errors.ts';
import type { CoreEvent } from './events.ts';
import type { ClientId } from './ownership.ts';
import { Session } from './session.ts';

export interface SessionManagerOptions {
  bus: EventBus<CoreEvent>;
  agentFactory: AgentFactory;
  /** Live sessions allowed at once. */
  maxSessions?: number;
  clock?: () => number;
  newId?: () => string;
}

export interface CreateSessionOptions {
  ownerId: ClientId;
  cwd: string;
  name?: string | null;
  model?: string | null;
  /** The first instruction, sent as soon as the agent runs. */
  prompt?: string;
  source?: InputSource;
}

/** Holds the live sessions: create, look up, query by client, and remove (ending the agent). */
export class SessionManager {
  readonly bus: EventBus<CoreEvent>;
  readonly #agentFactory: AgentFactory;
  readonly #maxSessions: number;
  readonly #clock: () => number;
  readonly #newId: () => string;
  readonly #sessions = new Map<string, Session>();
  readonly #removals = new Map<string, Promise<void>>();

  constructor(options: SessionManagerOptions) {
    this.bus = options.bus;
    this.#agentFactory = options.agentFactory;
    this.#maxSessions = options.maxSessions ?? Number.POSITIVE_INFINITY;
    this.#clock = options.clock ?? Date.now;
    this.#newId = options.newId ?? (() => crypto.randomUUID());
  }

  async create(options: CreateSessionOptions): Promise<Session> {
    if (this.#sessions.size >= this.#maxSessions) {
      throw new VibesError('TOO_MANY_SESSIONS', `At most ${this.#maxSessions} sessions can run at once`);
    }
    await requireDirectory(options.cwd);
    const session = new Session({
      id: this.#newId(),
      name: options.name ?? null,
      cwd: options.cwd,
      model: options.model ?? null,
      ownerId: options.ownerId,
      agentFactory: this.#agentFactory,
      publish: (event) => this.bus.publish(event),
      onAgentExited: (exited, failure) => {
        if (failure === null) this.remove(exited.id, 'session_finished').catch(() => {});
      },
      clock: this.#clock,
    });
    this.#sessions.set(session.id, session);
    this.bus.publish({ type: 'session_updated', session: session.snapshot() });
    await session.start();
    if (options.prompt !== undefined && session.state === 'idle') {
      session.sendInput(options.prompt, { clientId: options.ownerId, source: options.source ?? 'api' });
    }
    return session;
  }

  /** Throws NOT_FOUND for an unknown id. */
  get(sessionId: string): Session {
    const session = this.#sessions.get(sessionId);
    if (!session) throw notFound(sessionId);
    return session;
  }

  find(sessionId: string): Session | undefined {
    return this.#sessions.get(sessionId);
  }

  /** Oldest first. */
  list(): Session[] {
    return [...this.#sessions.values()];
  }

  sessionsOwnedBy(clientId: ClientId): string[] {
    return this.list()
      .filter((session) => session.ownership.isOwner(clientId))
      .map((session) => session.id);
  }

  sessionsSubscribedBy(clientId: ClientId): string[] {
    return this.list()
      .filter((session) => session.ownership.isSubscribed(clientId))
      .map((session) => session.id);
  }

  /**
   * Ends the session's agent, then forgets the session and tells everyone why.
   * Resolves after `session_removed` is published; a second call joins the first.
   */
  remove(sessionId: string, reason: RemovalReason): Promise<void> {
    const running = this.#removals.get(sessionId);
    if (running) return running;
    const session = this.get(sessionId);
    const removal = session.stop().finally(() => {
      this.#sessions.delete(sessionId);
      this.#removals.delete(sessionId);
      this.bus.publish({ type: 'session_removed', session_id: sessionId, reason });
    });
    this.#removals.set(sessionId, removal);
    return removal;
  }

  /** A kill on behalf of a client, which must be subscribed. */
  kill(sessionId: string, clientId: ClientId): Promise<void> {
    const session = this.get(sessionId);
    if (!session.ownership.isSubscribed(clientId)) {
      throw new VibesError('NOT_SUBSCRIBED', `Client ${clientId} is not subscribed to session ${sessionId}`);
    }
    return this.remove(sessionId, 'killed');
  }

  /** Ends every agent; the sessions stay listed as finished. */
  async shutdown(): Promise<void> {
    await Promise.allSettled(this.list().map((session) => session.stop()));
  }
}

async function requireDirectory(path: string): Promise<void> {
  const stats = await stat(path).catch(() => null);
  if (!stats) throw new VibesError('INVALID_CWD', `The working directory ${path} does not exist`);
  if (!stats.isDirectory()) throw new VibesError('INVALID_CWD', `The working directory ${path} is not a directory`);
}
