import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What a running server leaves in VIBES_HOME/server.json once it listens, so the CLI finds it
 * (and `vibes serve --detach` knows it is up) without reading its output.
 */
export interface ServerRecord {
  pid: number;
  /** Where a client on this machine reaches it (lib/protocol/server-url.ts): a wildcard bind as loopback. */
  url: string;
  port: number;
  started_at: number;
  /** Where its output goes, when `vibes serve --detach` started it; '' otherwise. */
  log: string;
}

export const serverRecordPath = (home: string) => join(home, 'server.json');
export const serverLogPath = (home: string) => join(home, 'server.log');

export function readServerRecord(home: string): ServerRecord | null {
  try {
    const record = JSON.parse(readFileSync(serverRecordPath(home), 'utf8')) as Partial<ServerRecord>;
    if (typeof record.pid !== 'number' || typeof record.url !== 'string' || typeof record.port !== 'number') return null;
    return { pid: record.pid, url: record.url, port: record.port, started_at: record.started_at ?? 0, log: record.log ?? '' };
  } catch {
    return null;
  }
}

/** Written whole or not at all: a reader never sees half a record. */
export function writeServerRecord(home: string, record: ServerRecord): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const temporary = `${serverRecordPath(home)}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, serverRecordPath(home));
}

/** Removes the record, only if it is still that of `pid` when one is given. */
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

/** How the user last ran `vibes serve`, so a server the CLI starts on its own runs the same way. */
export interface LastServe {
  host?: string;
  port?: number;
  demo: boolean;
}

const lastServePath = (home: string) => join(home, 'last-serve.json');

export function readLastServe(home: string): LastServe | null {
  try {
    const raw = JSON.parse(readFileSync(lastServePath(home), 'utf8')) as Partial<LastServe>;
    return {
      ...(typeof raw.host === 'string' && raw.host ? { host: raw.host } : {}),
      ...(typeof raw.port === 'number' && Number.isInteger(raw.port) ? { port: raw.port } : {}),
      demo: raw.demo === true,
    };
  } catch {
    return null;
  }
}

export function writeLastServe(home: string, serve: LastServe): void {
  try {
    mkdirSync(home, { recursive: true, mode: 0o700 });
    writeFileSync(lastServePath(home), `${JSON.stringify(serve)}\n`, { mode: 0o600 });
  } catch {
    // Only a convenience for the next autostart.
  }
}
