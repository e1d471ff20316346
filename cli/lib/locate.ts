import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash, randomBytes } from 'node:crypto';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7432;

type Env = NodeJS.ProcessEnv;

export function vibesHome(env: Env = process.env): string {
  return env.VIBES_HOME || join(env.HOME || homedir(), '.vibes');
}

/** VIBES_TOKEN wins over the file the server keeps in VIBES_HOME. */
export function readToken(env: Env = process.env): string | undefined {
  if (env.VIBES_TOKEN) return env.VIBES_TOKEN.trim();
  try {
    return readFileSync(join(vibesHome(env), 'token'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** What `vibes serve --detach` (or autostart) leaves in VIBES_HOME for the other commands. */
export interface ServerRecord {
  pid: number;
  url: string;
  port: number;
  started_at: number;
  log: string;
}

export const serverRecordPath = (home: string) => join(home, 'server.json');
export const serverLogPath = (home: string) => join(home, 'server.log');

export function readServerRecord(home: string): ServerRecord | null {
  try {
    const record = JSON.parse(readFileSync(serverRecordPath(home), 'utf8')) as Partial<ServerRecord>;
    if (typeof record.pid !== 'number' || typeof record.url !== 'string' || typeof record.port !== 'number') return null;
    return { pid: record.pid, url: record.url, port: record.port, started_at: record.started_at ?? 0, log: record.log ?? serverLogPath(home) };
  } catch {
    return null;
  }
}

export function writeServerRecord(home: string, record: ServerRecord): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  writeFileSync(serverRecordPath(home), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
}

export function removeServerRecord(home: string, pid?: number): void {
  const record = readServerRecord(home);
  if (pid !== undefined && record && record.pid !== pid) return;
  rmSync(serverRecordPath(home), { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie still answers signal 0; on Linux /proc tells it apart.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

export type TargetSource = 'flag' | 'VIBES_URL' | 'VIBES_HOST/VIBES_PORT' | 'server.json' | 'default';

export interface Target {
  url: string;
  source: TargetSource;
  host: string;
  port: number;
}

/** Where the server is: --url, VIBES_URL, VIBES_HOST/VIBES_PORT, the recorded background server, the default. */
export function resolveTarget(flagUrl: string | undefined, env: Env = process.env): Target {
  const explicit = flagUrl ?? env.VIBES_URL;
  if (explicit) return fromUrl(explicit, flagUrl ? 'flag' : 'VIBES_URL');
  if (env.VIBES_HOST || env.VIBES_PORT) {
    const host = env.VIBES_HOST || DEFAULT_HOST;
    const port = Number(env.VIBES_PORT || DEFAULT_PORT);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`VIBES_PORT must be a port number, not "${env.VIBES_PORT}"`);
    return { url: `http://${bracket(host)}:${port}`, source: 'VIBES_HOST/VIBES_PORT', host, port };
  }
  const record = readServerRecord(vibesHome(env));
  if (record && isAlive(record.pid)) return fromUrl(record.url, 'server.json');
  return { url: `http://${DEFAULT_HOST}:${DEFAULT_PORT}`, source: 'default', host: DEFAULT_HOST, port: DEFAULT_PORT };
}

function fromUrl(raw: string, source: TargetSource): Target {
  let url: URL;
  try {
    url = new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    throw new Error(`"${raw}" is not a server URL (expected e.g. http://127.0.0.1:7432)`);
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return { url: url.origin, source, host: url.hostname.replace(/^\[|\]$/g, ''), port };
}

const bracket = (host: string) => (host.includes(':') ? `[${host}]` : host);

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** The folder holding vibes' package.json, found from this module whether it runs from source or dist. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'vibes') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the vibes installation (a package.json named "vibes")');
    dir = parent;
  }
}

/**
 * A fresh client id per CLI process, tagged with this machine, so `sessions list` can tell the
 * sessions of terminals here ("you") from the dashboard's and other machines'.
 */
export function newCliClientId(): string {
  return `${cliClientPrefix()}${randomBytes(6).toString('hex')}`;
}

export function cliClientPrefix(): string {
  const machine = createHash('sha256').update(`${hostname()}:${process.getuid?.() ?? ''}`).digest('hex').slice(0, 8);
  return `cli-${machine}-`;
}
