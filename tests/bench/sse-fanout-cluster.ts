// SSE fan-out across a cluster: one session on node C streaming a chunk every 5 ms to K viewers
// spread evenly over nodes A, B and C (one Redis, one PostgreSQL, all on this machine), beside
// the same K viewers on one embedded-default server in the same run. Prints p50/p99 delivery
// latency (fake Claude writing a chunk to a viewer parsing it), lost and doubled events, and the
// CPU of all the vibes processes (plus Redis and PostgreSQL for the cluster) per 100k deliveries.
// Run after `npm run build`: node --import tsx tests/bench/sse-fanout-cluster.ts [K]
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { startPostgres, startRedis } from '../support/engines.ts';
import { TestEventStream } from '../support/event-stream.ts';
import { cpuSeconds, startProductionServer, wallClockMs, type ProductionServer } from './production-server.ts';

const VIEWERS = Number(process.argv[2] ?? 500);
const CHUNKS = 1500;
const EVERY_MS = 5;

interface Receiver {
  seqs: number[];
  latencies: number[];
  deliveries: number;
  close(): void;
}

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
          if (!frame.startsWith('id:')) continue;
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

/** Pids of the processes running `binary` (Redis, PostgreSQL and its workers), for their CPU. */
function pidsOf(binary: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0')[0]?.includes(binary) ?? false;
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function measure(label: string, servers: ProductionServer[], token: string, enginePids: () => number[]) {
  const host = servers.at(-1)!;
  const owner = await TestEventStream.open(host.url, { headers: { Authorization: `Bearer ${token}` } });
  const api = new ApiClient({ baseUrl: host.url, token, clientId: owner.clientId });
  const session = await api.createSession({ name: 'bench' });
  const receivers: Receiver[] = [];
  for (let i = 0; i < VIEWERS; i++) {
    const server = servers[i % servers.length]!;
    const clientId = `bench-${i}`;
    await new ApiClient({ baseUrl: server.url, token, clientId }).subscribe(session.id);
    receivers.push(await receive(server.url, token, clientId, session.id));
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const pids = [...servers.map((server) => server.pid), ...enginePids()];
  const cpuOf = () => pids.reduce((sum, pid) => sum + (cpuSeconds(pid) || 0), 0);
  const cpuBefore = cpuOf();
  const deliveriesBefore = receivers.reduce((sum, r) => sum + r.deliveries, 0);
  await api.sendInput(session.id, `stream ${CHUNKS} chunks every ${EVERY_MS}ms stamp`);
  await owner.waitFor(
    (stream) => stream.events('session_event').some((event) => event.session_id === session.id && event.event.type === 'turn_complete'),
    'the end of the turn',
    CHUNKS * EVERY_MS * 20 + 30_000,
  );
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const cpu = cpuOf() - cpuBefore;
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
  return {
    label,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    lost,
    doubled,
    deliveries,
    cpuPer100k: (cpu / deliveries) * 100_000,
  };
}

const token = randomBytes(32).toString('base64url');
const env = { VIBES_TOKEN: token, VIBES_RATE_LIMIT_BURST: '100000', VIBES_MAX_EVENT_CLIENTS: '5000' };
const rows = [];

const single = await startProductionServer(env);
try {
  rows.push(await measure('one node (SQLite, in-process bus)', [single], token, () => []));
} finally {
  await single.stop();
}

const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
const nodes: ProductionServer[] = [];
try {
  const cluster = { ...env, VIBES_REDIS_URL: redis.url, VIBES_DATABASE_URL: await postgres.newDatabase() };
  for (const name of ['a', 'b', 'c']) nodes.push(await startProductionServer({ ...cluster, VIBES_NODE_NAME: name }));
  await new Promise((resolve) => setTimeout(resolve, 2000));
  rows.push(
    await measure('three nodes (PostgreSQL, Redis Streams)', nodes, token, () => [...pidsOf('redis-server'), ...pidsOf('postgres')]),
  );
} finally {
  await Promise.all(nodes.map((node) => node.stop()));
  await Promise.all([redis.stop(), postgres.stop()]);
}

console.log(
  `\nSSE fan-out, one session, a chunk every ${EVERY_MS} ms, ${VIEWERS} viewers (cluster: spread over three nodes; all on this machine)`,
);
console.log('setup                                    | p50 ms | p99 ms | lost | doubled | deliveries | CPU s / 100k');
for (const row of rows) {
  console.log(
    [
      row.label.padEnd(40),
      row.p50.toFixed(2).padStart(6),
      row.p99.toFixed(2).padStart(6),
      String(row.lost).padStart(4),
      String(row.doubled).padStart(7),
      String(row.deliveries).padStart(10),
      row.cpuPer100k.toFixed(2).padStart(12),
    ].join(' | '),
  );
}
