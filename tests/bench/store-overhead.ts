// What keeping every event in SQLite costs: transcript events per second through the production
// server to one SSE client, and the server's CPU per 1,000 events, with the SQLite store
// (VIBES_STORE=sqlite, the default) and with the in-memory store (VIBES_STORE=memory). Runs
// alternate between the two; the median of each is reported, with the ratio.
// By default the fake Claude streams flat out (`flood`), the worst case for the store; with an
// interval it is paced like a real Claude, when each event is a transaction of its own.
// Run after `npm run build`: node --import tsx tests/bench/store-overhead.ts [chunks] [rounds] [every-ms]
import { statSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { cpuSeconds, startProductionServer, type ProductionServer } from './production-server.ts';

const CHUNKS = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const PACE = process.argv[4] === undefined ? 'flood' : `every ${Number(process.argv[4])}ms`;
type StoreKind = 'sqlite' | 'memory';

function startServer(store: StoreKind): Promise<ProductionServer> {
  return startProductionServer({ VIBES_STORE: store });
}

/** A bare SSE reader: splits frames and looks at the event name only, so the client costs little. */
function openStream(
  server: ProductionServer,
): Promise<{ clientId: string; response: IncomingMessage; onFrame(listener: (name: string, data: string) => void): void }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/api/events', server.url), {
      headers: { Authorization: `Bearer ${server.token}`, Accept: 'text/event-stream' },
    });
    req.on('error', reject);
    req.on('response', (response) => {
      response.setEncoding('utf8');
      let buffer = '';
      const listeners: ((name: string, data: string) => void)[] = [];
      let resolved = false;
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.*)$/m.exec(frame)?.[1] ?? '';
          const data = /^data: (.*)$/m.exec(frame)?.[1] ?? '';
          if (!resolved && name === 'hello') {
            resolved = true;
            resolve({
              clientId: (JSON.parse(data) as { client_id: string }).client_id,
              response,
              onFrame: (listener) => listeners.push(listener),
            });
          }
          for (const listener of listeners) listener(name, data);
        }
      });
    });
    req.end();
  });
}

interface Run {
  store: StoreKind;
  events: number;
  seconds: number;
  perSecond: number;
  cpuMsPer1000: number;
  dbBytes: number;
}

async function run(store: StoreKind): Promise<Run> {
  const server = await startServer(store);
  try {
    const stream = await openStream(server);
    const api = new ApiClient({ baseUrl: server.url, token: server.token, clientId: stream.clientId });
    // Counted from the stream's start, since a fast turn can end before createSession answers.
    const tally = new Map<string, { first: number; count: number; done?: number; wake?: () => void }>();
    stream.onFrame((name, data) => {
      if (name !== 'session_event') return;
      const id = /"session_id":"([^"]+)"/.exec(data)?.[1] ?? '';
      let entry = tally.get(id);
      if (!entry) tally.set(id, (entry = { first: performance.now(), count: 0 }));
      entry.count++;
      if (data.includes('"turn_complete"')) {
        entry.done = performance.now();
        entry.wake?.();
      }
    });
    const finished = async (id: string) => {
      for (;;) {
        const entry = tally.get(id);
        if (entry?.done !== undefined) return entry as Required<typeof entry>;
        await new Promise<void>((resolve) => {
          if (entry) entry.wake = resolve;
          else setTimeout(resolve, 5);
        });
      }
    };
    // Warm up the path (and the fake Claude's start) with a short turn first.
    await finished((await api.createSession({ prompt: 'stream 200 chunks flood' })).id);
    const cpuBefore = cpuSeconds(server.pid);
    const session = await api.createSession({ prompt: `stream ${CHUNKS} chunks ${PACE}` });
    const { first, done: last, count } = await finished(session.id);
    const cpu = cpuSeconds(server.pid) - cpuBefore;
    stream.response.destroy();
    const seconds = (last - first) / 1000;
    const dbPath = join(server.home, 'vibes.db');
    let dbBytes = 0;
    for (const suffix of ['', '-wal'])
      dbBytes += (() => {
        try {
          return statSync(dbPath + suffix).size;
        } catch {
          return 0;
        }
      })();
    return { store, events: count, seconds, perSecond: count / seconds, cpuMsPer1000: (cpu * 1000 * 1000) / count, dbBytes };
  } finally {
    await server.stop();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const runs: Run[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const store of (round % 2 === 0 ? ['memory', 'sqlite'] : ['sqlite', 'memory']) as StoreKind[]) {
    const result = await run(store);
    runs.push(result);
    console.log(
      `round ${round + 1} ${store.padEnd(6)} ${result.events} events in ${result.seconds.toFixed(2)} s: ` +
        `${Math.round(result.perSecond)} events/s, server CPU ${result.cpuMsPer1000.toFixed(1)} ms per 1000 events` +
        (store === 'sqlite' ? `, db ${(result.dbBytes / 1e6).toFixed(1)} MB` : ''),
    );
  }
}

const summary = (store: StoreKind) => {
  const mine = runs.filter((r) => r.store === store);
  return { perSecond: median(mine.map((r) => r.perSecond)), cpu: median(mine.map((r) => r.cpuMsPer1000)) };
};
const memory = summary('memory');
const sqlite = summary('sqlite');
console.log('');
console.log(`store    events/s (median of ${ROUNDS})   server CPU ms / 1000 events`);
console.log(`memory   ${String(Math.round(memory.perSecond)).padStart(8)}               ${memory.cpu.toFixed(1).padStart(6)}`);
console.log(`sqlite   ${String(Math.round(sqlite.perSecond)).padStart(8)}               ${sqlite.cpu.toFixed(1).padStart(6)}`);
console.log(
  `ratio    sqlite/memory throughput ${(sqlite.perSecond / memory.perSecond).toFixed(3)} ` +
    `(store costs ${((1 - sqlite.perSecond / memory.perSecond) * 100).toFixed(1)}% of throughput, ` +
    `${((sqlite.cpu / memory.cpu - 1) * 100).toFixed(1)}% more server CPU per event; target under 20%)`,
);
