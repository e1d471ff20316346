// SSE fan-out across a cluster: one session on node C streaming a chunk every 5 ms to K viewers
// spread evenly over nodes A, B and C (one Redis, one PostgreSQL, all on this machine), beside
// the same K viewers on one embedded-default server in the same run. Prints p50/p99 delivery
// latency (fake Claude writing a chunk to a viewer parsing it), lost and doubled events, and the
// CPU of all the vibes processes (plus Redis and PostgreSQL for the cluster) per 100k deliveries.
// Run after `npm run build`: node --import tsx tests/bench/sse-fanout-cluster.ts [K]
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { startPostgres, startRedis } from '../support/engines.ts';
import { CHUNKS, EVERY_MS, measureFanout, type FanoutResult } from './fanout.ts';
import { startProductionServer, type ProductionServer } from './production-server.ts';

const VIEWERS = Number(process.argv[2] ?? 500);

const token = randomBytes(32).toString('base64url');
const env = { VIBES_TOKEN: token, VIBES_RATE_LIMIT_BURST: '100000', VIBES_MAX_EVENT_CLIENTS: '5000' };
const rows: (FanoutResult & { label: string; load: string })[] = [];
const load = () =>
  loadavg()
    .map((average) => average.toFixed(2))
    .join(' ');

const single = await startProductionServer(env);
try {
  const loadBefore = load();
  const result = await measureFanout({ servers: [single], token, viewers: VIEWERS, cpuPids: () => [single.pid], settleMs: 1000 });
  rows.push({ label: 'one node (SQLite, in-process bus)', load: `${loadBefore} -> ${load()}`, ...result });
} finally {
  await single.stop();
}

const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
const nodes: ProductionServer[] = [];
try {
  const cluster = { ...env, VIBES_REDIS_URL: redis.url, VIBES_DATABASE_URL: await postgres.newDatabase() };
  for (const name of ['a', 'b', 'c']) nodes.push(await startProductionServer({ ...cluster, VIBES_NODE_NAME: name }));
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const loadBefore = load();
  const result = await measureFanout({
    servers: nodes,
    token,
    viewers: VIEWERS,
    cpuPids: () => [...nodes.map((node) => node.pid), ...redis.pids(), ...postgres.pids()],
    settleMs: 1000,
  });
  rows.push({ label: 'three nodes (PostgreSQL, Redis Streams)', load: `${loadBefore} -> ${load()}`, ...result });
} finally {
  await Promise.all(nodes.map((node) => node.stop()));
  await Promise.all([redis.stop(), postgres.stop()]);
}

console.log(
  `\nSSE fan-out, one session, a chunk every ${EVERY_MS} ms (${CHUNKS} chunks), ${VIEWERS} viewers (cluster: spread over three nodes; all on this machine)`,
);
console.log(
  'setup                                    | p50 ms | p99 ms | max ms | lost | doubled | deliveries | CPU s / 100k | load average (1, 5, 15 min)',
);
for (const row of rows) {
  console.log(
    [
      row.label.padEnd(40),
      row.p50.toFixed(2).padStart(6),
      row.p99.toFixed(2).padStart(6),
      row.max.toFixed(1).padStart(6),
      String(row.lost).padStart(4),
      String(row.doubled).padStart(7),
      String(row.deliveries).padStart(10),
      row.cpuPer100k.toFixed(2).padStart(12),
      row.load,
    ].join(' | '),
  );
}
