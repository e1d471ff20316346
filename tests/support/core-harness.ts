import { EventBus, SessionLifecycle, SessionManager, type AgentFactory, type CoreEvent } from '../../lib/core/index.ts';
import type { PermissionMode } from '../../lib/protocol/index.ts';
import { scriptedAgents } from './scripted-agent.ts';

export interface CoreHarnessOptions {
  ringSize?: number;
  maxSessions?: number;
  clock?: () => number;
  /** Replaces the scripted agents. */
  agentFactory?: AgentFactory;
  allowBypass?: boolean;
  /** Sessions follow their folder's changes with git (as the server's do). */
  trackWork?: boolean;
}

/** A manager, lifecycle and bus wired to scripted agents, recording everything published. */
export function coreHarness(options: CoreHarnessOptions = {}) {
  const bus = new EventBus<CoreEvent>({ ringSize: options.ringSize ?? 1000 });
  const published: CoreEvent[] = [];
  bus.subscribe((entry) => published.push(entry.event));
  const agents = scriptedAgents();
  const manager = new SessionManager({
    bus,
    agentFactory: options.agentFactory ?? agents.factory,
    ...(options.maxSessions === undefined ? {} : { maxSessions: options.maxSessions }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.allowBypass === undefined ? {} : { allowBypass: options.allowBypass }),
    ...(options.trackWork === undefined ? {} : { trackWork: options.trackWork }),
  });
  const lifecycle = new SessionLifecycle(manager);
  const create = (ownerId: string, extra: { prompt?: string; name?: string; permissionMode?: PermissionMode; demo?: boolean } = {}) =>
    manager.create({ ownerId, cwd: process.cwd(), ...extra });
  /** A session's whole transcript, as published: with sync delivery, what the (memory) store holds. */
  const transcript = (sessionId: string) =>
    published.flatMap((event) => (event.type === 'session_event' && event.session_id === sessionId ? [event.entry] : []));
  return { bus, published, agents, manager, lifecycle, create, transcript };
}
