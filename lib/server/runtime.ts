import { EventBus, SessionLifecycle, SessionManager, type AgentFactory, type CoreEvent } from '../core/index.ts';
import type { Auth } from './auth.ts';
import type { ServerConfig } from './config.ts';
import { Presence } from './presence.ts';
import { SseHub } from './sse-hub.ts';

/** Everything the long-lived server holds; created once, before Next is prepared. */
export interface Runtime {
  readonly config: ServerConfig;
  readonly bus: EventBus<CoreEvent>;
  readonly manager: SessionManager;
  readonly lifecycle: SessionLifecycle;
  readonly presence: Presence;
  readonly hub: SseHub;
  readonly auth: Auth;
  readonly version: string;
  /** The port actually listened on, known once listening (with `--port 0` it differs from the config's). */
  port: number;
  /** Milliseconds since the epoch. */
  readonly startedAt: number;
}

export function createRuntime(config: ServerConfig, agentFactory: AgentFactory, auth: Auth, version: string): Runtime {
  const bus = new EventBus<CoreEvent>({ ringSize: config.replayRingSize });
  const manager = new SessionManager({ bus, agentFactory, maxSessions: config.maxSessions });
  const lifecycle = new SessionLifecycle(manager);
  const presence = new Presence({
    graceMs: config.disconnectGraceMs,
    onGone: (clientId) => {
      lifecycle.clientGone(clientId).catch((error: unknown) => {
        console.error(`vibes: cleaning up after client ${clientId} failed:`, error);
      });
    },
  });
  const hub = new SseHub({
    bus,
    manager,
    presence,
    maxClients: config.maxEventClients,
    clientBufferBytes: config.clientBufferBytes,
    clientStallMs: config.clientStallMs,
    pingMs: config.pingMs,
  });
  return { config, bus, manager, lifecycle, presence, hub, auth, version, port: config.port, startedAt: Date.now() };
}
