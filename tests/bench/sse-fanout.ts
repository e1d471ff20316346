// SSE fan-out under load: one session streaming a text chunk every 5 ms to N subscribed clients.
// Prints delivery latency (p50/p99/max, from the fake Claude writing a chunk to a client parsing
// it), lost and doubled events, the server's CPU per 100,000 deliveries (its own utime+stime),
// its RSS idle and under load, and the production server's cold start to its first 200.
// Run after `npm run build`: node --import tsx tests/bench/sse-fanout.ts [clients...]
import { request } from 'node:http';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { TestEventStream } from '../support/event-stream.ts';
import { cpuSeconds, rssMb, startProductionServer, wallClockMs, type ProductionServer } from './production-server.ts';

const CLIENT_COUNTS = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const COUNTS = CLIENT_COUNTS.length > 0 ? CLIENT_COUNTS : [1, 200, 500];
const CHUNKS = 1500;
const EVERY_MS = 5;

async function startWithColdStart(): Promise<ProductionServer & { coldStartMs: number }> {
  const server = await startProductionServer({ VIBES_RATE_LIMIT_BURST: '100000', VIBES_MAX_EVENT_CLIENTS: '5000' });
  for (;;) {
    const response = await fetch(`${server.url}/api/health`, { headers: { Authorization: `Bearer ${server.token}` } }).catch(() => null);
    if (response?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { ...server, coldStartMs: wallClockMs() - server.spawnedAt };
}

interface Receiver {
  seqs: number[];
  latencies: number[];
  deliveries: number;
  close(): void;
}

/** A lean SSE reader: the load generator shares two cores with the server, so it parses little. */
function receive(url: string, token: string, clientId: string, sessionId: string): Promise<Receiver> {
  return new Promise((resolve, reject) => {
    const receiver: Receiver = { seqs: [], latencies: [], deliveries: 0, close: () => req.destroy() };
    let buffer = '';
    const req = request(`${url}/api/events?client_id=${clientId}`, { headers: { Authorization: `Bearer ${token}` } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const arrivedAt = wallClockMs();
        buffer += chunk;
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          if (!frame.includes('event: ')) continue;
          receiver.deliveries++;
          if (!frame.includes('event: session_event') || !frame.includes(sessionId)) continue;
          const seq = /"seq":(\d+)/.exec(frame);
          if (seq) receiver.seqs.push(Number(seq[1]));
          const stamp = /"type":"text_delta"[^}]*"text":"stamp:([\d.]+)/.exec(frame);
          if (stamp) receiver.latencies.push(arrivedAt - Number(stamp[1]));
        }
      });
      resolve(receiver);
    });
    req.on('error', reject);
    req.end();
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function run(clients: number) {
  const server = await startWithColdStart();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idleRss = rssMb(server.pid);
  const owner = await TestEventStream.open(server.url, { headers: { Authorization: `Bearer ${server.token}` } });
  const api = new ApiClient({ baseUrl: server.url, token: server.token, clientId: owner.clientId });
  const session = await api.createSession({ name: 'bench' });
  const receivers: Receiver[] = [];
  for (let i = 0; i < clients; i++) {
    const clientId = `bench-${i}`;
    await new ApiClient({ baseUrl: server.url, token: server.token, clientId }).subscribe(session.id);
    receivers.push(await receive(server.url, server.token, clientId, session.id));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const cpuBefore = cpuSeconds(server.pid);
  const deliveriesBefore = receivers.reduce((sum, r) => sum + r.deliveries, 0);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(server.pid))), 200);
  await api.sendInput(session.id, `stream ${CHUNKS} chunks every ${EVERY_MS}ms stamp`);
  await owner.waitFor(
    (stream) => stream.events('session_event').some((event) => event.session_id === session.id && event.event.type === 'turn_complete'),
    'the end of the turn',
    CHUNKS * EVERY_MS * 20 + 30_000,
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  clearInterval(sampler);
  const cpu = cpuSeconds(server.pid) - cpuBefore;
  const deliveries = receivers.reduce((sum, r) => sum + r.deliveries, 0) - deliveriesBefore;
  const lastSeq = (await api.events(session.id, { limit: 1 })).last_seq;
  let lost = 0;
  let doubled = 0;
  for (const receiver of receivers) {
    const seen = new Set<number>();
    for (const seq of receiver.seqs) {
      if (seen.has(seq)) doubled++;
      seen.add(seq);
    }
    for (let seq = 1; seq <= lastSeq; seq++) if (!seen.has(seq)) lost++;
  }
  const latencies = receivers.flatMap((r) => r.latencies).sort((a, b) => a - b);
  for (const receiver of receivers) receiver.close();
  owner.close();
  await server.stop();
  return {
    clients,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    samples: latencies.length,
    lost,
    doubled,
    cpuPer100k: deliveries > 0 ? (cpu / deliveries) * 100_000 : NaN,
    deliveries,
    idleRss,
    peakRss,
    coldStartMs: server.coldStartMs,
  };
}

const rows = [];
for (const clients of COUNTS) rows.push(await run(clients));
const coldStarts = rows.map((row) => row.coldStartMs).sort((a, b) => a - b);
console.log(
  '\nSSE fan-out: one session, a chunk every 5 ms, N subscribed clients on loopback (2 cores, load generator on the same machine)',
);
console.log('clients | p50 ms | p99 ms | max ms | samples | lost | doubled | deliveries | CPU s / 100k | RSS idle MB | RSS load MB');
for (const row of rows) {
  console.log(
    [
      String(row.clients).padStart(7),
      row.p50.toFixed(2).padStart(6),
      row.p99.toFixed(2).padStart(6),
      row.max.toFixed(1).padStart(6),
      String(row.samples).padStart(7),
      String(row.lost).padStart(4),
      String(row.doubled).padStart(7),
      String(row.deliveries).padStart(10),
      row.cpuPer100k.toFixed(2).padStart(12),
      row.idleRss.toFixed(1).padStart(11),
      row.peakRss.toFixed(1).padStart(11),
    ].join(' | '),
  );
}
console.log(
  `cold start to first 200 (production build): median ${percentile(coldStarts, 50).toFixed(0)} ms over ${coldStarts.length} starts`,
);
