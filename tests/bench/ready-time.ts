// How soon `npm start`'s server is useful, as a client feels it: from spawning
// `node dist/lib/server/main.js` to the first answer of each request a client makes first, polled
// from the moment of the spawn on a port chosen beforehand (no waiting for the "listening" line):
// GET /api/health, GET /api/sessions and the dashboard's HTML (GET /), each with the token.
// Each round starts once on a fresh VIBES_HOME (first run: token, database, keys are made) and
// once more on that same home (a restart), beside `node -e 0` (spawn to exit) as the floor.
// Then once more as `vibes` starts a server for a command: health polled every 50 ms, then the
// command's request (the list) alone, with no page asked for: how long that request waits.
// Run after `npm run build`: node --import tsx tests/bench/ready-time.ts [rounds]
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECT_ROOT } from '../support/server-process.ts';

const rounds = Number(process.argv[2] ?? 7);
const POLL_MS = 5;
const GIVE_UP_MS = 30_000;

interface Start {
  health: number;
  sessions: number;
  dashboard: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Milliseconds from `since` to the first 200 on `path`, asking every POLL_MS (one request at a time). */
async function firstOk(url: string, headers: Record<string, string>, since: number): Promise<number> {
  while (performance.now() - since < GIVE_UP_MS) {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(GIVE_UP_MS) }).catch(() => null);
    if (response) await response.arrayBuffer().catch(() => undefined);
    if (response?.status === 200) return performance.now() - since;
    await sleep(POLL_MS);
  }
  throw new Error(`no 200 from ${url} within ${GIVE_UP_MS} ms`);
}

/** Spawns the server on a free port as `npm start` would, runs `use` against it from the spawn on, stops it. */
async function withServer<T>(home: string, token: string, use: (base: string, since: number) => Promise<T>): Promise<T> {
  const port = await freePort();
  const since = performance.now();
  const child = spawn(process.execPath, ['dist/lib/server/main.js', '--port', String(port)], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, VIBES_HOME: home, VIBES_TOKEN: token, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    return await use(`http://127.0.0.1:${port}`, since);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

function start(home: string, token: string): Promise<Start> {
  return withServer(home, token, async (base, since) => {
    const auth = { Authorization: `Bearer ${token}` };
    const [health, sessions, dashboard] = await Promise.all([
      firstOk(`${base}/api/health`, auth, since),
      firstOk(`${base}/api/sessions`, auth, since),
      firstOk(`${base}/`, auth, since),
    ]);
    return { health, sessions, dashboard };
  });
}

/** As the CLI's autostart: health every 50 ms until it answers, then the list; returns the list's own time. */
function listAfterStart(home: string, token: string): Promise<number> {
  return withServer(home, token, async (base, since) => {
    while (
      !(await fetch(`${base}/api/health`).then(
        (response) => response.arrayBuffer(),
        () => null,
      ))
    ) {
      if (performance.now() - since > GIVE_UP_MS) throw new Error(`no answer from ${base} within ${GIVE_UP_MS} ms`);
      await sleep(50);
    }
    const asked = performance.now();
    const response = await fetch(`${base}/api/sessions`, { headers: { Authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`the list answered ${response.status}`);
    return performance.now() - asked;
  });
}

function nodeFloor(): number {
  const since = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - since;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const fresh: Start[] = [];
const restart: Start[] = [];
const floor: number[] = [];
const listWaits: number[] = [];
// One unmeasured round first: the disk cache.
for (let round = 0; round <= rounds; round++) {
  const home = mkdtempSync(join(tmpdir(), 'vibes-ready-'));
  const token = randomBytes(32).toString('base64url');
  try {
    const first = await start(home, token);
    const again = await start(home, token);
    const listWait = await listAfterStart(home, token);
    const node = nodeFloor();
    if (round === 0) continue;
    listWaits.push(listWait);
    fresh.push(first);
    restart.push(again);
    floor.push(node);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

console.log(`load average ${loadavg()[0]!.toFixed(2)}; ${rounds} rounds; node -e 0 median ${median(floor).toFixed(0)} ms`);
for (const [label, starts] of [
  ['fresh home', fresh],
  ['restart', restart],
] as const) {
  for (const key of ['health', 'sessions', 'dashboard'] as const) {
    const values = starts.map((one) => one[key]);
    console.log(
      `${label.padEnd(10)} ${key.padEnd(9)} median ${median(values).toFixed(0).padStart(5)} ms` +
        `  (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})  ${(median(values) / median(floor)).toFixed(2)} x node -e 0`,
    );
  }
}
console.log(
  `as the CLI starts it: the list, asked once health answers, took median ${median(listWaits).toFixed(0)} ms` +
    ` (min ${Math.min(...listWaits).toFixed(0)}, max ${Math.max(...listWaits).toFixed(0)})`,
);
