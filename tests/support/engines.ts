import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { childPids, endingWithParent } from './processes.ts';

/**
 * Real Redis and PostgreSQL for tests: each on a free loopback port, in its own temporary
 * directory, stopped and removed afterwards. Every wait is bounded.
 */
export interface Engine {
  readonly url: string;
  readonly port: number;
  /** Stops the engine (the data directory stays until `stop`): for restart tests. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
  /** Its processes now (PostgreSQL's server and its backends), for a benchmark's CPU count. */
  pids(): number[];
  stop(): Promise<void>;
}

const START_MS = 20_000;
const STOP_MS = 5_000;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function which(candidates: string[]): string {
  for (const candidate of candidates) if (existsSync(candidate)) return candidate;
  throw new Error(`none of ${candidates.join(', ')} is installed (apt-get install -y redis-server postgresql)`);
}

function postgresBin(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  return which(versions.map((version) => join(root, version, 'bin', name)));
}

async function until<T>(what: string, attempt: () => Promise<T | undefined>, child: ChildProcess, output: () => string): Promise<T> {
  const deadline = Date.now() + START_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited: ${output()}`);
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not start within ${START_MS} ms: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_MS);
  await exited;
  clearTimeout(timer);
}

function captured(child: ChildProcess): () => string {
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text;
}

export async function startRedis(): Promise<Engine> {
  const binary = which(['/usr/bin/redis-server', '/usr/local/bin/redis-server']);
  const dir = mkdtempSync(join(tmpdir(), 'vibes-redis-'));
  const port = await freePort();
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(
      ...endingWithParent('TERM', binary, [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ]),
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const output = captured(child);
    await until(
      'redis-server',
      async () => {
        const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        probe.on('error', () => undefined);
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG' ? true : undefined;
        } finally {
          probe.disconnect();
        }
      },
      child,
      output,
    );
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill: () => stopChild(child, 'SIGKILL'),
    restart: launch,
    pids: () => (child.pid === undefined ? [] : [child.pid]),
    stop: async () => {
      await stopChild(child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The user PostgreSQL runs as: it refuses root, so a root test run hands it to `postgres` (or `nobody`). */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    const result = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const group = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (result.status === 0 && group.status === 0) return { uid: Number(result.stdout.trim()), gid: Number(group.stdout.trim()) };
  }
  throw new Error('running as root and there is no postgres or nobody user to run PostgreSQL as');
}

export const POSTGRES_PASSWORD = 'test-secret';

export async function startPostgres(): Promise<Engine & { newDatabase(): Promise<string> }> {
  const user = postgresUser();
  const dir = mkdtempSync(join(tmpdir(), 'vibes-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, POSTGRES_PASSWORD, { mode: 0o600 });
  if (user) chownSync(pwfile, user.uid, user.gid);
  const init = spawnSync(
    postgresBin('initdb'),
    ['-D', data, '-U', 'vibes', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '--no-sync', '-E', 'UTF8'],
    {
      ...user,
      cwd: dir,
      encoding: 'utf8',
      timeout: START_MS,
    },
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}${init.stdout}`);
  const port = await freePort();
  const url = `postgres://vibes:${POSTGRES_PASSWORD}@127.0.0.1:${port}/postgres`;
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(
      // QUIT: PostgreSQL's immediate shutdown; its own processes follow the postmaster.
      ...endingWithParent('QUIT', postgresBin('postgres'), [
        '-D',
        data,
        '-p',
        String(port),
        '-k',
        dir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
      ]),
      { ...user, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const output = captured(child);
    await until(
      'postgres',
      async () => {
        const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
        try {
          await client.connect();
          await client.query('SELECT 1');
          return true;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      child,
      output,
    );
  };
  await launch();
  let databases = 0;
  return {
    url,
    port,
    kill: () => stopChild(child, 'SIGKILL'),
    restart: launch,
    pids: () => (child.pid === undefined ? [] : [child.pid, ...childPids(child.pid)]),
    stop: async () => {
      await stopChild(child, 'SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
    /** A fresh, empty database on this server; returns its URL. */
    async newDatabase() {
      const name = `t${process.pid}_${++databases}_${userInfo().uid}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url.replace(/\/postgres$/, `/${name}`);
    },
  };
}
