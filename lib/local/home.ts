import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the server keeps its token, store and server.json, and where the CLI looks for them. */
export function vibesHome(env: Record<string, string | undefined> = process.env): string {
  return env.VIBES_HOME || join(env.HOME || homedir(), '.vibes');
}
