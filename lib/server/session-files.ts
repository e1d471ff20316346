import { SessionFolder } from '../core/work/files.ts';
import { VibesError } from '../core/errors.ts';
import type { Runtime } from './runtime.ts';

/**
 * The folder of a session, live or ended, to browse read-only. A live session on another node of
 * a cluster never gets here (lib/server/cluster forwards its requests); an ended one that ran
 * there has its folder on that machine, not this one.
 */
export async function sessionFolder(runtime: Runtime, sessionId: string): Promise<SessionFolder> {
  const session = await runtime.manager.info(sessionId, null);
  const here = runtime.topology.node;
  if (here !== null && session.node !== null && session.node !== here) {
    throw new VibesError(
      'INVALID_STATE',
      `Session ${sessionId} ran on ${session.node}: its folder is on that machine, which does not run it now`,
    );
  }
  // vibes' own files, never served even when a session's folder holds them: its home (token, database, keys) and its TLS key.
  const { home, tlsKey } = runtime.config;
  return new SessionFolder(session.cwd, { neverServed: tlsKey ? [home, tlsKey] : [home] });
}
