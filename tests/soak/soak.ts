// Soak: 20 sessions streaming with the fake Claude while 200 clients connect, read, drop and
// reconnect at random, for SOAK_SECONDS (default 240, at most 600). Loopback only.
// Checks and prints: no client that stayed connected lost or doubled an event (by seq); every
// reconnect within the replay ring got exactly what it missed; after a full collection, the
// server's live heap at the end is no more than 10% above its level after warm-up (the replay ring
// is full by then and nothing else grows with time: 20 sessions, 200 clients); RSS after the same
// collection is printed; every session is killed, no session is left, and no Claude process is
// left the moment the kills have answered (a kill answers once the process has exited).
// Run: npm run soak
import { request, type ClientRequest } from 'node:http';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { childPids } from '../support/processes.ts';
import { startServerProcess } from '../support/server-process.ts';
import { TestEventStream } from '../support/event-stream.ts';
import { GC_ON_SIGNAL_NODE_ARGS, memoryAfterGc } from '../support/memory-after-gc.ts';
import { readFileSync } from 'node:fs';

const SECONDS = Math.min(600, Number(process.env.SOAK_SECONDS ?? 240));
const SESSIONS = 20;
const CLIENTS = 200;
const STEADY_CLIENTS = 50;
const SESSIONS_PER_CLIENT = 2;
const CHUNK_EVERY_MS = 50;
const WARM_UP_SECONDS = Math.min(60, Math.floor(SECONDS / 4));
const hardStop = setTimeout(
  () => {
    console.error('soak: over its time bound, giving up');
    process.exit(2);
  },
  (SECONDS + 240) * 1000,
);
hardStop.unref();

const random = (min: number, max: number) => min + Math.random() * (max - min);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Claude processes the server started that are still running, with their command lines. */
function claudeProcesses(serverPid: number): string[] {
  return childPids(serverPid)
    .map((pid) => `${pid} ${commandLine(pid)}`)
    .filter((line) => /claude/i.test(line));
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '(ended)';
  }
}

interface Tally {
  delivered: number;
  lost: number;
  doubled: number;
  reconnects: number;
  exactReplays: number;
  resyncs: number;
  brokenReplays: number;
}
const tally: Tally = { delivered: 0, lost: 0, doubled: 0, reconnects: 0, exactReplays: 0, resyncs: 0, brokenReplays: 0 };

/**
 * One simulated device: it follows its sessions by seq across drops and reconnects. Any gap or
 * repeat in a session's seqs is a loss or a double, unless a resync told it to start over.
 */
class Device {
  readonly id: string;
  readonly steady: boolean;
  readonly #url: string;
  readonly #token: string;
  readonly #lastSeq = new Map<string, number>();
  #lastEventId: string | undefined;
  #request: ClientRequest | null = null;
  #stopped = false;
  #reconnected = false;

  constructor(id: string, steady: boolean, url: string, token: string) {
    this.id = id;
    this.steady = steady;
    this.#url = url;
    this.#token = token;
  }

  async run(until: number): Promise<void> {
    while (!this.#stopped && Date.now() < until) {
      this.#connect();
      if (this.steady) {
        await sleep(until - Date.now());
        break;
      }
      await sleep(random(2_000, 20_000));
      this.#drop();
      await sleep(random(0, 3_000));
      this.#reconnected = true;
      tally.reconnects++;
    }
    this.#drop();
  }

  stop(): void {
    this.#stopped = true;
    this.#drop();
  }

  #connect(): void {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.#token}` };
    if (this.#lastEventId) headers['Last-Event-ID'] = this.#lastEventId;
    let buffer = '';
    let sawFirstSessionEvent = false;
    const req = request(`${this.#url}/api/events?client_id=${this.id}`, { headers }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const id = /^id: (.+)$/m.exec(frame)?.[1];
          if (id) this.#lastEventId = id;
          if (frame.includes('event: resync')) {
            tally.resyncs++;
            this.#lastSeq.clear();
            continue;
          }
          if (!frame.includes('event: session_event')) continue;
          const session = /"session_id":"([^"]+)"/.exec(frame)?.[1];
          const seq = Number(/"seq":(\d+)/.exec(frame)?.[1]);
          if (!session || !seq) continue;
          tally.delivered++;
          const previous = this.#lastSeq.get(session);
          if (previous !== undefined && seq !== previous + 1) {
            if (seq <= previous) tally.doubled++;
            else tally.lost += seq - previous - 1;
          }
          this.#lastSeq.set(session, seq);
          if (!sawFirstSessionEvent && this.#reconnected) {
            sawFirstSessionEvent = true;
            // Judged on the first event after a reconnect: it continues exactly where the drop left off.
            if (previous !== undefined && seq === previous + 1) tally.exactReplays++;
            else if (previous !== undefined) tally.brokenReplays++;
          }
        }
      });
    });
    req.on('error', () => {});
    req.end();
    this.#request = req;
  }

  #drop(): void {
    this.#request?.destroy();
    this.#request = null;
  }
}

const server = await startServerProcess({
  nodeArgs: GC_ON_SIGNAL_NODE_ARGS,
  env: { VIBES_RATE_LIMIT_BURST: '100000', VIBES_MAX_EVENT_CLIENTS: '1000', VIBES_DISCONNECT_GRACE_MS: String((SECONDS + 120) * 1000) },
});
const token = server.token();
console.log(`soak: ${SESSIONS} sessions, ${CLIENTS} clients (${STEADY_CLIENTS} steady), ${SECONDS} s, server pid ${server.pid}`);
try {
  const owner = await TestEventStream.open(server.url, { headers: { Authorization: `Bearer ${token}` } });
  const ownerApi = new ApiClient({ baseUrl: server.url, token, clientId: owner.clientId });
  const chunksPerTurn = Math.ceil((SECONDS * 1000) / CHUNK_EVERY_MS / 4);
  const sessions = [];
  for (let i = 0; i < SESSIONS; i++) {
    const session = await ownerApi.createSession({ name: `soak ${i}` });
    // Several queued turns keep every session streaming for the whole run.
    for (let turn = 0; turn < 5; turn++) await ownerApi.sendInput(session.id, `stream ${chunksPerTurn} chunks every ${CHUNK_EVERY_MS}ms`);
    sessions.push(session);
  }
  const devices: Device[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const device = new Device(`soak-client-${i}`, i < STEADY_CLIENTS, server.url, token);
    const api = new ApiClient({ baseUrl: server.url, token, clientId: device.id });
    for (let k = 0; k < SESSIONS_PER_CLIENT; k++) await api.subscribe(sessions[(i + k * 7) % SESSIONS]!.id);
    devices.push(device);
  }
  const until = Date.now() + SECONDS * 1000;
  const running = devices.map((device) => device.run(until));
  await sleep(WARM_UP_SECONDS * 1000);
  const warm = await memoryAfterGc(server);
  console.log(
    `soak: warmed up after ${WARM_UP_SECONDS} s, after a collection: heap ${warm.heapMb.toFixed(1)} MB, RSS ${warm.rssMb.toFixed(1)} MB`,
  );
  // Read the end level while the load still runs, as the warm-up level was.
  await sleep(Math.max(0, until - Date.now() - 5_000));
  const end = await memoryAfterGc(server);
  await Promise.all(running);
  for (const device of devices) device.stop();
  owner.close();

  // Kill every session; one started while the sweep ran would show in the next listing.
  const killFailures: string[] = [];
  let live = await ownerApi.listSessions();
  for (let sweep = 0; sweep < 3 && live.length > 0; sweep++) {
    for (const session of live) {
      await ownerApi.subscribe(session.id).catch(() => undefined);
      await ownerApi.kill(session.id).catch((error: unknown) => killFailures.push(`${session.id}: ${String(error)}`));
    }
    live = await ownerApi.listSessions();
  }
  // No wait: a kill answers only once its Claude process has exited.
  const leftover = claudeProcesses(server.pid);
  if (killFailures.length > 0) console.log(`soak: kills that failed:\n  ${killFailures.join('\n  ')}`);
  if (leftover.length > 0) console.log(`soak: Claude processes left:\n  ${leftover.join('\n  ')}`);
  const others = childPids(server.pid)
    .map((pid) => `${pid} ${commandLine(pid)}`)
    .filter((line) => !leftover.includes(line));
  // Printed, not judged: the server may have children that are not Claude.
  if (others.length > 0) console.log(`soak: other child processes of the server (not Claude):\n  ${others.join('\n  ')}`);

  const heapChange = (end.heapMb - warm.heapMb) / warm.heapMb;
  const rssChange = (end.rssMb - warm.rssMb) / warm.rssMb;
  const checks = [
    ['no steady client lost or doubled an event', tally.lost === 0 && tally.doubled === 0],
    ['every reconnect within the ring got exactly what it missed', tally.brokenReplays === 0],
    // A leak shows as growth of what is live after a collection; memory given back is no failure.
    [
      `live heap at the end no more than 10% above warm-up (${warm.heapMb.toFixed(1)} -> ${end.heapMb.toFixed(1)} MB, ` +
        `${(heapChange * 100).toFixed(1)}%; RSS after the same collections ${warm.rssMb.toFixed(1)} -> ${end.rssMb.toFixed(1)} MB, ` +
        `${(rssChange * 100).toFixed(1)}%)`,
      heapChange <= 0.1,
    ],
    [
      `every session killed (${killFailures.length} kills failed, ${live.length} sessions left)`,
      killFailures.length === 0 && live.length === 0,
    ],
    [`no Claude process left once the kills answered (${leftover.length} left)`, leftover.length === 0],
  ] as const;
  console.log(
    `soak: ${tally.delivered} session events delivered, ${tally.reconnects} reconnects (${tally.exactReplays} exact replays, ` +
      `${tally.resyncs} resyncs, ${tally.brokenReplays} broken), lost ${tally.lost}, doubled ${tally.doubled}`,
  );
  for (const [what, ok] of checks) console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
} finally {
  await server.stop();
}
