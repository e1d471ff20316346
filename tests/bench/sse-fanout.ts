// SSE fan-out under load: one session streaming a text chunk every 5 ms to N subscribed clients.
// Prints delivery latency (p50/p99/max, from the fake Claude writing a chunk to a client parsing
// it), lost and doubled events, the server's CPU per 100,000 deliveries (its own utime+stime),
// its RSS idle and under load, and the production server's cold start to its first 200.
// Run after `npm run build`: node --import tsx tests/bench/sse-fanout.ts [clients...]
import { CHUNKS, EVERY_MS, measureFanout, percentile } from './fanout.ts';
import { rssMb, startProductionServer, wallClockMs, type ProductionServer } from './production-server.ts';

const CLIENT_COUNTS = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const COUNTS = CLIENT_COUNTS.length > 0 ? CLIENT_COUNTS : [1, 200, 500];

async function startWithColdStart(): Promise<ProductionServer & { coldStartMs: number }> {
  const server = await startProductionServer({ VIBES_RATE_LIMIT_BURST: '100000', VIBES_MAX_EVENT_CLIENTS: '5000' });
  for (;;) {
    const response = await fetch(`${server.url}/api/health`, { headers: { Authorization: `Bearer ${server.token}` } }).catch(() => null);
    if (response?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { ...server, coldStartMs: wallClockMs() - server.spawnedAt };
}

async function run(clients: number) {
  const server = await startWithColdStart();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idleRss = rssMb(server.pid);
  let peakRss = 0;
  const result = await measureFanout({
    servers: [server],
    token: server.token,
    viewers: clients,
    cpuPids: () => [server.pid],
    whileStreaming: () => {
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(server.pid))), 200);
      return () => clearInterval(sampler);
    },
  });
  await server.stop();
  return {
    clients,
    ...result,
    idleRss,
    peakRss,
    coldStartMs: server.coldStartMs,
  };
}

const rows = [];
for (const clients of COUNTS) rows.push(await run(clients));
const coldStarts = rows.map((row) => row.coldStartMs).sort((a, b) => a - b);
console.log(
  `\nSSE fan-out: one session, a chunk every ${EVERY_MS} ms (${CHUNKS} chunks), N subscribed clients on loopback (2 cores, load generator on the same machine)`,
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
