import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SERVER_NODE_ARGS, serverEnv } from '../../lib/local/server-launch.ts';
import { endingWithParent } from './processes.ts';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  readonly home: string;
  /** Its PostgreSQL database when it runs as a cluster node; otherwise its store is in `home`. */
  readonly databaseUrl: string | undefined;
  /** What clients must send as `Authorization: Bearer`; read from the token file when not given. */
  token(): string;
  readonly child: ChildProcess;
  /** Everything the server printed, for assertions and for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited in time; removes its home unless kept. */
  stop(options?: { signal?: NodeJS.Signals; keepHome?: boolean }): Promise<number | null>;
}

export interface ServerProcessOptions {
  env?: Record<string, string>;
  /** What the server's environment starts from before `env` is laid over it; default: ours. */
  baseEnv?: NodeJS.ProcessEnv;
  args?: string[];
  /** Node's own flags for the server process, before the script. */
  nodeArgs?: string[];
  /** Reuse a state folder, e.g. to start again after a crash. */
  home?: string;
  /** Let the server make its own token file instead of passing VIBES_TOKEN. */
  tokenFile?: boolean;
  startTimeoutMs?: number;
}

/**
 * The real server (custom Next server over the production build) as a child process on a free
 * loopback port, with its own VIBES_HOME: compiled to dist/ and started with the Node flags and
 * environment `npm start` and `vibes serve` use (the test projects build dist/ when it is stale).
 */
export async function startServerProcess(options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'vibes-test-'));
  const envToken = options.tokenFile ? undefined : (options.env?.VIBES_TOKEN ?? randomBytes(32).toString('base64url'));
  const cluster = await clusterEnv(home, options);
  const child = spawn(
    ...endingWithParent('TERM', process.execPath, [
      ...SERVER_NODE_ARGS,
      ...(options.nodeArgs ?? []),
      'dist/lib/server/main.js',
      '--port',
      '0',
      ...(options.args ?? []),
    ]),
    {
      cwd: PROJECT_ROOT,
      env: {
        ...serverEnv(options.baseEnv ?? process.env),
        VIBES_HOME: home,
        VIBES_HOST: '127.0.0.1',
        VIBES_DEMO: '1',
        NEXT_TELEMETRY_DISABLED: '1',
        VIBES_TOKEN: envToken ?? '',
        ...cluster,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // A worker that ends normally takes its server down at once (one killed on a timeout: above).
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timeout = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${options.startTimeoutMs ?? 30_000} ms:\n${output}`));
    }, options.startTimeoutMs ?? 30_000);
    const onData = () => {
      // The sign-in line comes last in the start-up banner.
      const match = /listening on (https?:\/\/\S+)[\s\S]*sign in a browser with/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timeout);
      child.stdout.off('data', onData);
      resolve(match[1]);
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timeout);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });

  let stopped: Promise<number | null> | null = null;
  return {
    url,
    pid: child.pid ?? -1,
    home,
    databaseUrl: options.env?.VIBES_DATABASE_URL ?? cluster.VIBES_DATABASE_URL,
    token: () => envToken ?? readFileSync(join(home, 'token'), 'utf8').trim(),
    child,
    output: () => output,
    stop({ signal = 'SIGTERM', keepHome = false } = {}) {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        const code = await exited;
        clearTimeout(killer);
        process.off('exit', killOnExit);
        if (!keepHome && options.home === undefined) rmSync(home, { recursive: true, force: true });
        return code;
      })();
      return stopped;
    },
  };
}

/**
 * Under `npm run test:on-cluster` every server is a one-node cluster on the run's Redis and
 * PostgreSQL. Its database, key prefix and node name follow from its home, so a server started
 * again on the same home finds what it left.
 */
async function clusterEnv(home: string, options: ServerProcessOptions): Promise<Record<string, string>> {
  const redisUrl = process.env.VIBES_TEST_REDIS_URL;
  const postgresUrl = process.env.VIBES_TEST_POSTGRES_URL;
  if (process.env.VIBES_TEST_AS_CLUSTER !== '1' || !redisUrl || !postgresUrl || options.env?.VIBES_DATABASE_URL !== undefined) return {};
  const name = `h${createHash('sha256').update(home).digest('hex').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    VIBES_REDIS_URL: redisUrl,
    VIBES_DATABASE_URL: postgresUrl.replace(/\/postgres$/, `/${name}`),
    VIBES_REDIS_PREFIX: `${name}:`,
    VIBES_NODE_NAME: name,
  };
}
