import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../lib/local/project-root.ts';
import { SERVER_NODE_ARGS, serverEnv } from '../../lib/local/server-launch.ts';
import { isAlive, readServerRecord, removeServerRecord, serverLogPath, type ServerRecord } from '../../lib/local/server-record.ts';
import { ENDPOINTS } from '../../lib/protocol/endpoints.ts';

/** The compiled server; the CLI never imports it, it runs it as a child process. */
export function serverEntry(): string {
  const root = projectRoot();
  const entry = join(root, 'dist', 'lib', 'server', 'main.js');
  if (!existsSync(entry)) throw new Error(`The vibes server is not built yet: run \`npm run build\` in ${root}`);
  return entry;
}

export interface ServeOptions {
  host?: string;
  port?: number;
  demo?: boolean;
  /** HTTPS: certificate chain and key files (PEM). */
  tlsCert?: string;
  tlsKey?: string;
}

export function serverArgs(options: ServeOptions): string[] {
  return [
    ...(options.host ? ['--host', options.host] : []),
    ...(options.port !== undefined ? ['--port', String(options.port)] : []),
    ...(options.demo ? ['--demo'] : []),
    ...(options.tlsCert ? ['--tls-cert', resolve(options.tlsCert)] : []),
    ...(options.tlsKey ? ['--tls-key', resolve(options.tlsKey)] : []),
  ];
}

/** True once anything answers HTTP at `url`: a 401 still means a server is there. */
export async function answers(url: string, timeoutMs = 1_000): Promise<boolean> {
  const { nodeHttpFetch } = await import('../../lib/client/node/node-http-fetch.ts');
  try {
    await nodeHttpFetch(`${url}${ENDPOINTS.health.path}`, { signal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

export interface DetachedServer {
  record: ServerRecord;
  /** False when a live recorded server was found and reused. */
  started: boolean;
}

/**
 * A server in the background: its own process group, output in VIBES_HOME/server.log. Resolves
 * once it listens, which it tells by writing VIBES_HOME/server.json with its pid and URL; a failed
 * start ends the child and says why.
 */
export async function startDetached(home: string, options: ServeOptions, timeoutMs: number): Promise<DetachedServer> {
  const existing = readServerRecord(home);
  if (existing && isAlive(existing.pid) && (await answers(existing.url))) return { record: existing, started: false };

  const entry = serverEntry();
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const log = serverLogPath(home);
  const logFd = openSync(log, 'a', 0o600);
  const logStart = statSync(log).size;
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, entry, ...serverArgs(options)], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: serverEnv({ ...process.env, VIBES_HOME: home, VIBES_LOG_FILE: log, NEXT_TELEMETRY_DISABLED: '1' }),
  });
  closeSync(logFd);
  child.unref();
  let exitCode: number | null | undefined;
  child.once('exit', (code, signal) => (exitCode = code ?? (signal ? 128 : 1)));
  const pid = child.pid;
  if (pid === undefined) throw new Error('Could not start the vibes server');

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const record = readServerRecord(home);
    if (record?.pid === pid) return { record, started: true };
    if (exitCode !== undefined)
      throw new Error(`The vibes server exited (${exitCode}) before listening:\n${tail(readFrom(log, logStart))}`);
    await sleep(50);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
  throw new Error(`The vibes server did not start within ${timeoutMs} ms (log: ${log}):\n${tail(readFrom(log, logStart))}`);
}

export interface StopResult {
  record: ServerRecord | null;
  wasRunning: boolean;
  forced: boolean;
}

/** SIGTERM (the server ends its sessions and exits), SIGKILL if it is still there after `timeoutMs`. */
export async function stopRecorded(home: string, timeoutMs = 10_000): Promise<StopResult> {
  const record = readServerRecord(home);
  if (!record || !isAlive(record.pid)) {
    removeServerRecord(home);
    return { record, wasRunning: false, forced: false };
  }
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(record.pid) && Date.now() < deadline) await sleep(50);
  let forced = false;
  if (isAlive(record.pid)) {
    forced = true;
    process.kill(record.pid, 'SIGKILL');
    while (isAlive(record.pid)) await sleep(20);
  }
  // "Stopped" means gone: nothing left in a background server's process group, nothing on its port.
  while (groupAlive(record.pid) && Date.now() < deadline) await sleep(50);
  while ((await answers(record.url, 500)) && Date.now() < deadline) await sleep(50);
  removeServerRecord(home, record.pid);
  return { record, wasRunning: true, forced };
}

/** A detached server leads its own process group; anything it left running there keeps the group alive. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readFrom(path: string, offset: number): string {
  try {
    return readFileSync(path).subarray(offset).toString('utf8');
  } catch {
    return '';
  }
}

function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
