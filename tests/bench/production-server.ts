// What the benchmarks measure: the production build (`npm run build`), as `npm start` runs it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_NODE_ARGS, serverEnv } from '../../lib/local/server-launch.ts';
import { PROJECT_ROOT } from '../support/server-process.ts';

export interface ProductionServer {
  url: string;
  pid: number;
  token: string;
  /** Its VIBES_HOME, removed by stop(). */
  home: string;
  /** performance.timeOrigin-based milliseconds at which the process was spawned. */
  spawnedAt: number;
  /** Everything it printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export const wallClockMs = () => performance.timeOrigin + performance.now();

/**
 * The node flags the server is started with: `npm start`'s (SERVER_NODE_ARGS), or for a
 * comparison VIBES_BENCH_SERVER_ARGS (space-separated; `none` for Node's defaults).
 */
const launchArgs = (): string[] => {
  const override = process.env.VIBES_BENCH_SERVER_ARGS;
  if (override === undefined) return [...SERVER_NODE_ARGS];
  return override === 'none' ? [] : override.split(' ').filter(Boolean);
};

/** The compiled server with the fake Claude on a free loopback port, its own home and token, started as `npm start` starts it. */
export async function startProductionServer(env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ProductionServer> {
  const home = mkdtempSync(join(tmpdir(), 'vibes-bench-'));
  const token = randomBytes(32).toString('base64url');
  const spawnedAt = wallClockMs();
  const child = spawn(process.execPath, [...launchArgs(), ...nodeArgs, 'dist/lib/server/main.js', '--port', '0', '--demo'], {
    cwd: PROJECT_ROOT,
    env: serverEnv({ ...process.env, VIBES_HOME: home, VIBES_TOKEN: token, NEXT_TELEMETRY_DISABLED: '1', ...env }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 30 s: ${output}`)), 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return {
    url,
    pid: child.pid!,
    token,
    home,
    spawnedAt,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The process's own CPU time, user and system, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}
