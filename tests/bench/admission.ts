// How long the token holder (a curl-like request on a new connection), the CLI (`vibes sessions
// list`, a process of its own) and a signed-in browser (a cookie request on a new connection) wait
// while a stranger holds idle sockets from loopback and opens a new one as soon as the server
// drops one (issue 27). Each row: median and worst over the tries, beside the same with no
// stranger, and how many were reset or refused. The server runs from source (tsx).
// Run: node --import tsx tests/bench/admission.ts [sockets=500] [tries=7]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { holdIdleSockets } from '../support/idle-sockets.ts';
import { rawRequest } from '../support/raw-http.ts';
import { PROJECT_ROOT, startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { deviceCookie } from '../support/sign-in.ts';

const SOCKETS = Number(process.argv[2] ?? 500);
const TRIES = Number(process.argv[3] ?? 7);

const scenarios: { title: string; env: Record<string, string>; from: string }[] = [
  { title: `default settings; ${SOCKETS} idle sockets from 127.0.0.1, the clients' own address`, env: {}, from: '127.0.0.1' },
  {
    title: `a pool of 64 (the old default); ${SOCKETS} from 127.0.0.1, renewed as fast as they are dropped`,
    env: { VIBES_MAX_ANONYMOUS_CONNECTIONS: '64' },
    from: '127.0.0.1',
  },
  { title: `a pool of 64; ${SOCKETS} from 127.0.0.2, another address`, env: { VIBES_MAX_ANONYMOUS_CONNECTIONS: '64' }, from: '127.0.0.2' },
];

type Who = 'token holder' | 'vibes sessions list' | 'signed-in browser';
const WHO: Who[] = ['token holder', 'vibes sessions list', 'signed-in browser'];

/** Milliseconds to an answer, or why there was none. */
async function timed(action: () => Promise<void>): Promise<number | string> {
  const started = performance.now();
  try {
    await action();
    return performance.now() - started;
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0]!.slice(0, 80) : String(error);
  }
}

function requester(server: ServerProcess, cookie: string): Record<Who, () => Promise<void>> {
  const host = new URL(server.url).host;
  const get = async (headers: Record<string, string>) => {
    const answer = await rawRequest(server.url, { path: '/api/sessions', headers: { host, connection: 'close', ...headers } });
    if (answer.status !== 200) throw new Error(`answered ${answer.status}`);
  };
  return {
    'token holder': () => get({ authorization: `Bearer ${server.token()}` }),
    'signed-in browser': () => get({ cookie }),
    // Spawned, not run in this process: the stranger's sockets are renewed meanwhile.
    'vibes sessions list': () =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [join(PROJECT_ROOT, 'cli/bin/run.js'), 'sessions', 'list'], {
          env: {
            ...process.env,
            VIBES_HOME: server.home,
            VIBES_URL: server.url,
            VIBES_TOKEN: server.token(),
            NO_COLOR: '1',
            VIBES_NO_AUTOSTART: '1',
          },
          stdio: ['ignore', 'ignore', 'pipe'],
          timeout: 30_000,
        });
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        child.once('error', reject);
        child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}: ${stderr.trim()}`))));
      }),
  };
}

async function tries(requests: Record<Who, () => Promise<void>>): Promise<Record<Who, (number | string)[]>> {
  const results: Record<Who, (number | string)[]> = { 'token holder': [], 'vibes sessions list': [], 'signed-in browser': [] };
  for (let i = 0; i < TRIES; i++) for (const who of WHO) results[who].push(await timed(requests[who]));
  return results;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const ms = (value: number) => `${value.toFixed(0).padStart(5)} ms`;

for (const scenario of scenarios) {
  console.log(`\n${scenario.title}`);
  const server = await startServerProcess({ env: { VIBES_STORE: 'memory', ...scenario.env } });
  try {
    const cookie = await deviceCookie(server.url, server.token(), 'bench browser');
    const requests = requester(server, cookie);
    await tries(requests); // warm: Next's routes, the CLI's files in the disk cache
    const quiet = await tries(requests);
    const rssQuiet = rssMb(server.pid);
    const stranger = await holdIdleSockets(server.url, SOCKETS, { fromAddress: scenario.from });
    const droppedBefore = stranger.dropped;
    const started = performance.now();
    const held = await tries(requests);
    const seconds = (performance.now() - started) / 1000;
    const dropsPerSecond = (stranger.dropped - droppedBefore) / seconds;
    const rssHeld = rssMb(server.pid);
    const strangerOpen = stranger.open;
    stranger.stop();
    for (const who of WHO) {
      const waits = held[who].filter((value): value is number => typeof value === 'number');
      const failures = held[who].filter((value): value is string => typeof value === 'string');
      const quietWaits = quiet[who].filter((value): value is number => typeof value === 'number');
      console.log(
        `  ${who.padEnd(20)} median ${ms(median(waits))}  worst ${ms(Math.max(...waits))}  ` +
          `(no stranger: median ${ms(median(quietWaits))})  failed ${failures.length}/${TRIES}${failures.length ? `: ${[...new Set(failures)].join('; ')}` : ''}`,
      );
    }
    console.log(
      `  stranger: ${strangerOpen} of ${SOCKETS} sockets open at the end, ${dropsPerSecond.toFixed(0)} dropped (and renewed) a second; ` +
        `server RSS ${rssQuiet.toFixed(0)} MB without, ${rssHeld.toFixed(0)} MB with`,
    );
  } finally {
    await server.stop();
  }
}
