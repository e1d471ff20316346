// A cluster node's event loop while its sessions write a burst to PostgreSQL: SESSIONS sessions
// (scripted agents, the production SessionManager with tick delivery) each stream one 80-character
// text delta per tick for TICKS ticks, flat out. Prints the event-loop delay (perf_hooks
// monitorEventLoopDelay p50/p99/max), the event-loop utilisation (a thread blocked waiting for
// PostgreSQL counts as busy), when the ticks were done, when every event was delivered on the
// bus (it is delivered once committed), and the rows PostgreSQL holds afterwards.
// With a round trip (ms), PostgreSQL is reached through a proxy in another process that holds
// every chunk that long each way, as a database on the LAN would answer.
// Needs postgres on PATH (started on loopback in a temp dir, as the cluster tests do).
// Run: node --import tsx tests/bench/cluster-write-burst.ts [ticks] [sessions] [round-trip-ms]
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import pg from 'pg';
import { startPostgres } from '../support/engines.ts';
import { scriptedAgents } from '../support/scripted-agent.ts';
import * as postgresStore from '../../lib/core/cluster/postgres-store.ts';
import { EventBus, SessionManager, type CoreEvent, type SessionStore } from '../../lib/core/index.ts';

const TICKS = Number(process.argv[2] ?? 2000);
const SESSIONS = Number(process.argv[3] ?? 20);
const ROUND_TRIP_MS = Number(process.argv[4] ?? 0);

// Each chunk waits half the round trip, in order, before it is passed on.
const PROXY = `
const net = require('node:net');
const [target, half] = [Number(process.argv[1]), Number(process.argv[2])];
const delayed = (from, to) => {
  let last = 0;
  from.on('data', (chunk) => {
    const at = Math.max(Date.now() + half, last);
    last = at;
    setTimeout(() => to.write(chunk), at - Date.now());
  });
  from.on('close', () => setTimeout(() => to.destroy(), half));
  from.on('error', () => {});
};
const server = net.createServer((client) => {
  const upstream = net.connect(target, '127.0.0.1');
  delayed(client, upstream);
  delayed(upstream, client);
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

async function delayingProxy(url: string): Promise<{ url: string; child: ChildProcess }> {
  const target = new URL(url);
  const child = spawn(process.execPath, ['-e', PROXY, target.port, String(ROUND_TRIP_MS / 2)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [port] = (await once(child.stdout!, 'data')) as [Buffer];
  target.port = port.toString().trim();
  return { url: target.toString(), child };
}

/** The store opens asynchronously now; before, its constructor connected and migrated (blocking). */
interface StoreModule {
  PostgresStore: {
    open?: (options: { url: string; node: string }) => Promise<SessionStore>;
    new (options: { url: string; node: string }): SessionStore;
  };
}

const postgres = await startPostgres();
let proxy: ChildProcess | undefined;
try {
  const direct = await postgres.newDatabase();
  const { url, child } = ROUND_TRIP_MS > 0 ? await delayingProxy(direct) : { url: direct, child: undefined };
  proxy = child;
  const { PostgresStore } = postgresStore as unknown as StoreModule;
  const options = { url, node: 'bench' };
  const store = PostgresStore.open ? await PostgresStore.open(options) : new PostgresStore(options);
  const bus = new EventBus<CoreEvent>({ ringSize: 1000 });
  const agents = scriptedAgents();
  const manager = new SessionManager({ bus, agentFactory: agents.factory, store, delivery: 'tick', node: 'bench' });
  for (let i = 0; i < SESSIONS; i++) await manager.create({ ownerId: 'bench', cwd: process.cwd() });
  await manager.flush();

  const expected = TICKS * SESSIONS;
  let delivered = 0;
  let allDelivered!: () => void;
  const deliveredAll = new Promise<void>((resolve) => (allDelivered = resolve));
  bus.subscribe(({ event }) => {
    if (event.type === 'session_event' && event.entry.event.type === 'text_delta' && ++delivered === expected) allDelivered();
  });

  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const utilisation = performance.eventLoopUtilization();
  const started = performance.now();
  const text = 'x'.repeat(80);
  await new Promise<void>((resolve) => {
    let tick = 0;
    const next = () => {
      tick++;
      for (const agent of agents.agents) agent.emit({ type: 'text_delta', message_id: `m${tick}`, text });
      if (tick < TICKS) setImmediate(next);
      else resolve();
    };
    setImmediate(next);
  });
  const ticksMs = performance.now() - started;
  await deliveredAll;
  const deliveredMs = performance.now() - started;
  const busy = performance.eventLoopUtilization(utilisation).utilization;
  delay.disable();
  await Promise.all(manager.list().map((session) => manager.remove(session.id, 'killed')));
  await store.close();

  const admin = new pg.Client({ connectionString: direct });
  await admin.connect();
  const rows = Number((await admin.query<{ count: string }>("SELECT count(*) FROM events WHERE type = 'text_delta'")).rows[0]?.count);
  await admin.end();
  const ms = (nanoseconds: number) => (nanoseconds / 1e6).toFixed(1);
  console.log(
    `${TICKS} ticks × ${SESSIONS} sessions = ${expected} events, round trip ${ROUND_TRIP_MS > 0 ? `${ROUND_TRIP_MS} ms` : 'loopback'}: ` +
      `event-loop delay p50 ${ms(delay.percentile(50))} ms, p99 ${ms(delay.percentile(99))} ms, max ${ms(delay.max)} ms; ` +
      `loop busy ${(busy * 100).toFixed(0)}%; ticks done in ${ticksMs.toFixed(0)} ms, all delivered in ${deliveredMs.toFixed(0)} ms; ` +
      `${rows} rows in PostgreSQL`,
  );
  if (rows !== expected) process.exitCode = 1;
} finally {
  proxy?.kill();
  await postgres.stop();
}
