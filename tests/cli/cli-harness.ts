import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { TestEventStream } from '../support/event-stream.ts';
import { PROJECT_ROOT, type ServerProcess } from '../support/server-process.ts';
import { EVENT_WAIT_MS } from '../support/waits.ts';

/** The shipped binary: what `npx vibes` and a global install run. */
export const CLI_BIN = join(PROJECT_ROOT, 'cli/bin/run.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a user's shell, minus anything of ours that would point the CLI elsewhere. */
export function cliEnv(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', NEXT_TELEMETRY_DISABLED: '1' };
  for (const key of Object.keys(env)) if (key.startsWith('VIBES_') || key === 'FORCE_COLOR') delete env[key];
  Object.assign(env, overrides);
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** For a test server: its URL, home and token, and no autostart. */
export function serverEnv(server: ServerProcess, overrides: Record<string, string | undefined> = {}) {
  return cliEnv({ VIBES_URL: server.url, VIBES_HOME: server.home, VIBES_TOKEN: server.token(), VIBES_NO_AUTOSTART: '1', ...overrides });
}

const running = new Set<CliProcess>();

/** A running `vibes` process whose output the test can wait on and whose stdin it can type into. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly #exited: Promise<number | null>;
  #waiters = new Set<() => void>();

  /** `bin`: another `vibes` executable (an installed one) instead of this checkout's. */
  constructor(args: string[], env: Record<string, string>, options: { bin?: string; cwd?: string } = {}) {
    this.child = spawn(options.bin ?? process.execPath, options.bin ? args : [CLI_BIN, ...args], {
      cwd: options.cwd ?? PROJECT_ROOT,
      env: env as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.#notify();
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.#notify();
    });
    this.#exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        running.delete(this);
        resolve(code ?? (signal ? -1 : null));
        this.#notify();
      }),
    );
    running.add(this);
  }

  get output(): string {
    return this.stdout + this.stderr;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  write(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }

  endInput(): void {
    this.child.stdin?.end();
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Resolves with the first match in stdout + stderr. */
  waitFor(pattern: RegExp | string, timeoutMs = EVENT_WAIT_MS): Promise<RegExpMatchArray> {
    const regex = typeof pattern === 'string' ? new RegExp(escape(pattern)) : pattern;
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = regex.exec(this.output);
        if (match) {
          done();
          resolve(match);
        } else if (this.exited) {
          done();
          reject(new Error(`vibes exited (${this.child.exitCode}) before printing ${regex}:\n${this.output}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${regex}; output so far:\n${this.output}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  async waitForExit(timeoutMs = EVENT_WAIT_MS): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`vibes did not exit within ${timeoutMs} ms; output:\n${this.output}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.#exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async kill(): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGKILL');
    await this.#exited;
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

export function startCli(args: string[], env: Record<string, string>): CliProcess {
  return new CliProcess(args, env);
}

/**
 * `vibes ARGS` as a user runs it in a terminal: in a pseudo-terminal `columns` wide (util-linux
 * `script`), so stdin and stdout are TTYs, with colours unless `env` sets NO_COLOR. Its output has
 * the terminal's CR LF line ends.
 */
export function startInTerminal(args: string[], env: Record<string, string>, columns = 100): CliProcess {
  const command = [process.execPath, CLI_BIN, ...args].map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
  return new CliProcess(
    ['-qfec', `stty cols ${columns} rows 50; exec ${command}`, '/dev/null'],
    { ...env, TERM: 'xterm-256color' },
    { bin: 'script' },
  );
}

/** Runs `vibes ARGS` to the end, with stdin closed (or fed `input`). */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  options: { input?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const cli = new CliProcess(args, env);
  if (options.input !== undefined) cli.child.stdin?.write(options.input);
  cli.endInput();
  const code = await cli.waitForExit(options.timeoutMs);
  return { code, stdout: cli.stdout, stderr: cli.stderr };
}

/** Ends every CLI process a test left running. */
export async function killAllClis(): Promise<void> {
  await Promise.all([...running].map((cli) => cli.kill()));
}

/** After a file's cases: its CLI processes, the clients that held its sessions, then its server. */
export async function endAll(server: ServerProcess | undefined, holders: { close(): void }[]): Promise<void> {
  await killAllClis();
  for (const client of holders.splice(0)) client.close();
  await server?.stop();
}

/** A port that was free a moment ago, for servers a test makes the CLI start. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function tokenOf(home: string): string {
  return readFileSync(join(home, 'token'), 'utf8').trim();
}

/** A client of the test's own that holds sessions open (it keeps its event stream). */
export async function holder(server: ServerProcess) {
  const token = server.token();
  const stream = await TestEventStream.open(server.url, { headers: { Authorization: `Bearer ${token}` } });
  const api = new ApiClient({ baseUrl: server.url, token, clientId: stream.clientId });
  return { stream, api, close: () => stream.close() };
}

/**
 * One turn of a demo session, then killed: a server's first session pays for loading the agent,
 * which a beforeAll can wait for better than a case that races others within one wait's bound.
 */
export async function warmUp(server: ServerProcess): Promise<void> {
  const warm = await holder(server);
  try {
    const { id } = await warm.api.createSession({ prompt: 'hello', cwd: server.home, demo: true });
    await warm.stream.waitForEvent('session_event', (event) => event.session_id === id && event.event.type === 'turn_complete');
    await warm.api.kill(id);
  } finally {
    warm.close();
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
