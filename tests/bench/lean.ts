// vibes beside the floor (tests/bench/floor-server.mjs), both started fresh and run in turns, run by run:
// - ready: spawn to the first 200 on GET /api/sessions;
// - the subscribe storm: K viewers each subscribe and open a stream, one after another: the
//   server's CPU and the bytes the viewers received;
// - one session streaming 200 chunks 5 ms apart to the K viewers: bytes per delivered message,
//   CPU per 100k deliveries, peak RSS;
// - RSS idle (vibes with the Agent SDK loaded: a session exists), after R such runs, and after
//   20 s idle more.
// Run after `npm run build`: node --import tsx tests/bench/lean.ts [viewers=500] [runs=15] [idle-seconds=20]
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { GC_ON_SIGNAL_NODE_ARGS, memoryAfterGc } from '../support/memory-after-gc.ts';
import { PROJECT_ROOT } from '../support/server-process.ts';
import { cpuSeconds, rssMb, startProductionServer, wallClockMs } from './production-server.ts';

const VIEWERS = Number(process.argv[2] ?? 500);
const RUNS = Number(process.argv[3] ?? 15);
const CHUNKS = 200;
const EVERY_MS = 5;
const IDLE_MS = Number(process.argv[4] ?? 20) * 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Target {
  name: string;
  url: string;
  pid: number;
  headers: Record<string, string>;
  sessionId: string;
  readyMs: number;
  /** Heap and RSS after a full collection, where the target can tell them. */
  afterGc?: () => Promise<{ heapMb: number; rssMb: number }>;
  stream(): Promise<void>;
  stop(): Promise<void>;
}

async function firstAnswer(url: string, headers: Record<string, string>): Promise<number> {
  for (;;) {
    const response = await fetch(`${url}/api/sessions`, { headers }).catch(() => null);
    if (response?.status === 200) return wallClockMs();
    await sleep(2);
  }
}

async function startVibes(): Promise<Target> {
  const server = await startProductionServer(
    { VIBES_RATE_LIMIT_BURST: '100000', VIBES_MAX_EVENT_CLIENTS: '5000', VIBES_DISCONNECT_GRACE_MS: '600000', VIBES_STORE: 'sqlite' },
    GC_ON_SIGNAL_NODE_ARGS,
  );
  const headers = { Authorization: `Bearer ${server.token}` };
  const readyMs = (await firstAnswer(server.url, headers)) - server.spawnedAt;
  const api = new ApiClient({ baseUrl: server.url, token: server.token, clientId: 'bench-owner' });
  const session = await api.createSession({ name: 'bench' });
  return {
    name: 'vibes',
    url: server.url,
    pid: server.pid,
    headers,
    sessionId: session.id,
    readyMs,
    afterGc: () => memoryAfterGc(server),
    stream: async () => void (await api.sendInput(session.id, `stream ${CHUNKS} chunks every ${EVERY_MS}ms`)),
    stop: () => server.stop(),
  };
}

async function startFloor(): Promise<Target> {
  const spawnedAt = wallClockMs();
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'tests/bench/floor-server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [url, sessionId] = await new Promise<[string, string]>((resolve) => {
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const match = /listening on (\S+) session (\S+)/.exec(output);
      if (match) resolve([match[1]!, match[2]!]);
    });
  });
  const readyMs = (await firstAnswer(url, {})) - spawnedAt;
  return {
    name: 'floor',
    url,
    pid: child.pid!,
    headers: {},
    sessionId,
    readyMs,
    stream: async () => void (await fetch(`${url}/stream?chunks=${CHUNKS}&every=${EVERY_MS}`, { method: 'POST' })),
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

interface Viewer {
  bytes: number;
  deliveries: number;
  turnsEnded: number;
  close(): void;
}

/** Subscribes, then opens the stream; resolves once the stream's head has arrived. */
async function openViewer(target: Target, clientId: string): Promise<Viewer> {
  const subscribed = await fetch(`${target.url}/api/sessions/${target.sessionId}/subscribe`, {
    method: 'POST',
    headers: { ...target.headers, 'X-Vibes-Client-Id': clientId, 'Content-Type': 'application/json' },
    body: '{}',
  });
  if (!subscribed.ok) throw new Error(`${target.name}: subscribe answered ${subscribed.status}`);
  await subscribed.arrayBuffer();
  return new Promise((resolve, reject) => {
    const viewer: Viewer = { bytes: 0, deliveries: 0, turnsEnded: 0, close: () => req.destroy() };
    let buffer = '';
    const req = request(`${target.url}/api/events?client_id=${clientId}`, { headers: target.headers }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        viewer.bytes += Buffer.byteLength(chunk);
        buffer += chunk;
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          if (!frame.includes('event: session_event')) continue;
          viewer.deliveries++;
          if (frame.includes('"type":"turn_complete"')) viewer.turnsEnded++;
        }
      });
      resolve(viewer);
    });
    req.on('error', reject);
    req.end();
  });
}

const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const sum = (viewers: Viewer[], key: 'bytes' | 'deliveries') => viewers.reduce((total, viewer) => total + viewer[key], 0);

async function settledRss(pid: number): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    await sleep(200);
    readings.push(rssMb(pid));
  }
  return readings.sort((a, b) => a - b)[2]!;
}

/** Opens the viewers, streams one turn to them, closes them. */
async function oneRun(target: Target) {
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(target.pid))), 100);
  const stormCpuBefore = cpuSeconds(target.pid);
  const viewers: Viewer[] = [];
  for (let i = 0; i < VIEWERS; i++) viewers.push(await openViewer(target, `viewer-${i}`));
  await sleep(300);
  const storm = { cpu: cpuSeconds(target.pid) - stormCpuBefore, bytes: sum(viewers, 'bytes') };
  const cpuBefore = cpuSeconds(target.pid);
  const bytesBefore = sum(viewers, 'bytes');
  const deliveriesBefore = sum(viewers, 'deliveries');
  await target.stream();
  const deadline = Date.now() + 120_000;
  while (viewers.some((viewer) => viewer.turnsEnded < 1) && Date.now() < deadline) await sleep(20);
  await sleep(300);
  const deliveries = sum(viewers, 'deliveries') - deliveriesBefore;
  const streamed = {
    cpuPer100k: ((cpuSeconds(target.pid) - cpuBefore) / deliveries) * 100_000,
    bytesPerDelivery: (sum(viewers, 'bytes') - bytesBefore) / deliveries,
    deliveries,
  };
  clearInterval(sampler);
  for (const viewer of viewers) viewer.close();
  // Closing 500 streams is work too: let it end here, not inside the next run's storm.
  await sleep(500);
  return { storm, streamed, peakRss };
}

type Run = Awaited<ReturnType<typeof oneRun>>;

/** A target started, idle figures taken. */
async function prepare(start: () => Promise<Target>) {
  const target = await start();
  await sleep(1000);
  const idleRss = await settledRss(target.pid);
  const idleGc = await target.afterGc?.();
  return { target, idleRss, idleGc, runs: [] as Run[] };
}

async function summarise({ target, idleRss, idleGc, runs }: Awaited<ReturnType<typeof prepare>>, afterRuns: number) {
  const [first] = runs;
  const peakRss = Math.max(...runs.map((run) => run.peakRss));
  console.log(`${target.name} storm CPU per run: ${runs.map((run) => run.storm.cpu.toFixed(2)).join(' ')} s`);
  // The first run meets a server whose code V8 has not optimised yet; later ones, a warm one.
  const median = {
    stormCpu: medianOf(runs.map((run) => run.storm.cpu)),
    cpuPer100k: medianOf(runs.map((run) => run.streamed.cpuPer100k)),
  };
  const afterIdle = await settledRss(target.pid);
  const afterIdleGc = await target.afterGc?.();
  if (idleGc && afterIdleGc) {
    console.log(
      `${target.name} after a full collection: idle heap ${idleGc.heapMb.toFixed(1)} MB, RSS ${idleGc.rssMb.toFixed(1)} MB; ` +
        `after the runs and idle heap ${afterIdleGc.heapMb.toFixed(1)} MB, RSS ${afterIdleGc.rssMb.toFixed(1)} MB`,
    );
  }
  return { name: target.name, readyMs: target.readyMs, idleRss, first: first!, median, peakRss, afterRuns, afterIdle };
}

// Both run at once and take turns, run by run: whatever else the machine does in the meantime
// weighs on both alike, not on whichever went second.
const floorTarget = await prepare(startFloor);
const vibesTarget = await prepare(startVibes).catch(async (error: unknown) => {
  await floorTarget.target.stop();
  throw error;
});
let floor: Awaited<ReturnType<typeof summarise>>;
let vibes: typeof floor;
try {
  for (let run = 1; run <= RUNS; run++) {
    floorTarget.runs.push(await oneRun(floorTarget.target));
    vibesTarget.runs.push(await oneRun(vibesTarget.target));
  }
  const floorAfterRuns = await settledRss(floorTarget.target.pid);
  const vibesAfterRuns = await settledRss(vibesTarget.target.pid);
  await sleep(IDLE_MS);
  floor = await summarise(floorTarget, floorAfterRuns);
  vibes = await summarise(vibesTarget, vibesAfterRuns);
} finally {
  await Promise.all([floorTarget.target.stop(), vibesTarget.target.stop()]);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const rows: [string, (result: typeof vibes) => number, (value: number) => string][] = [
  ['first GET /api/sessions from spawn', (r) => r.readyMs, (v) => `${v.toFixed(0)} ms`],
  [`subscribe storm: server CPU (${VIEWERS} viewers), first run`, (r) => r.first.storm.cpu, (v) => `${v.toFixed(2)} s`],
  [`subscribe storm: server CPU, median of ${RUNS} runs`, (r) => r.median.stormCpu, (v) => `${v.toFixed(2)} s`],
  [`subscribe storm: bytes to the viewers`, (r) => r.first.storm.bytes, mb],
  [`stream ${CHUNKS}x${EVERY_MS} ms: bytes per delivered message`, (r) => r.first.streamed.bytesPerDelivery, (v) => `${v.toFixed(0)} B`],
  [`stream: server CPU per 100k deliveries, first run`, (r) => r.first.streamed.cpuPer100k, (v) => `${v.toFixed(2)} s`],
  [`stream: server CPU per 100k deliveries, median`, (r) => r.median.cpuPer100k, (v) => `${v.toFixed(2)} s`],
  ['RSS idle (vibes: a session, so the Agent SDK, loaded)', (r) => r.idleRss, (v) => `${v.toFixed(1)} MB`],
  [`RSS peak over ${RUNS} runs`, (r) => r.peakRss, (v) => `${v.toFixed(1)} MB`],
  [`RSS after ${RUNS} runs`, (r) => r.afterRuns, (v) => `${v.toFixed(1)} MB`],
  [`RSS after ${RUNS} runs and ${IDLE_MS / 1000} s idle`, (r) => r.afterIdle, (v) => `${v.toFixed(1)} MB`],
];
console.log(
  `\nvibes beside the floor (same run; ${VIEWERS} viewers, ${RUNS} runs; load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`,
);
console.log(`${'measure'.padEnd(56)} | ${'vibes'.padStart(10)} | ${'floor'.padStart(10)} | ratio`);
for (const [label, pick, format] of rows) {
  console.log(
    `${label.padEnd(56)} | ${format(pick(vibes)).padStart(10)} | ${format(pick(floor)).padStart(10)} | ${(pick(vibes) / pick(floor)).toFixed(2)}`,
  );
}
console.log(
  `vibes RSS after ${RUNS} runs and idle vs its own first idle: ${(((vibes.afterIdle - vibes.idleRss) / vibes.idleRss) * 100).toFixed(1)}%` +
    ` (deliveries per run: vibes ${vibes.first.streamed.deliveries}, floor ${floor.first.streamed.deliveries})`,
);
