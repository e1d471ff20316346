// Memory per idle event-stream client and per idle session, and event throughput to 100 clients.
// Run after `npm run build`: node --import tsx tests/bench/memory-throughput.ts
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { TestEventStream } from '../support/event-stream.ts';
import { startServerProcess } from '../support/server-process.ts';

const IDLE_CLIENTS = 500;
const IDLE_SESSIONS = 20;
const THROUGHPUT_CLIENTS = 100;
const THROUGHPUT_EVENTS = 5000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

function openRaw(url: string, token: string, clientId: string, onFrame: (frame: string) => void = () => {}) {
  let buffer = '';
  const req = request(`${url}/api/events?client_id=${clientId}`, { headers: { Authorization: `Bearer ${token}` } }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let boundary: number;
      while ((boundary = buffer.indexOf('\n\n')) >= 0) {
        onFrame(buffer.slice(0, boundary));
        buffer = buffer.slice(boundary + 2);
      }
    });
  });
  req.on('error', () => {});
  req.end();
  return req;
}

/** RSS settles slowly after a burst of allocations; take the median of a few readings. */
async function settledRss(pid: number): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    await sleep(400);
    readings.push(rssMb(pid));
  }
  return readings.sort((a, b) => a - b)[2]!;
}

const server = await startServerProcess({
  env: { VIBES_RATE_LIMIT_BURST: '100000', VIBES_MAX_EVENT_CLIENTS: '5000', VIBES_DISCONNECT_GRACE_MS: '600000' },
});
try {
  const token = server.token();
  const base = await settledRss(server.pid);

  const idle = Array.from({ length: IDLE_CLIENTS }, (_, i) => openRaw(server.url, token, `idle-${i}`));
  await sleep(1500);
  const withClients = await settledRss(server.pid);
  for (const req of idle) req.destroy();

  const owner = await TestEventStream.open(server.url, { headers: { Authorization: `Bearer ${token}` } });
  const api = new ApiClient({ baseUrl: server.url, token, clientId: owner.clientId });
  const beforeSessions = await settledRss(server.pid);
  for (let i = 0; i < IDLE_SESSIONS; i++) await api.createSession({ name: `idle ${i}` });
  const withSessions = await settledRss(server.pid);

  const session = await api.createSession({ name: 'throughput' });
  let received = 0;
  let startedAt = 0;
  let doneAt = 0;
  const readers = [];
  for (let i = 0; i < THROUGHPUT_CLIENTS; i++) {
    const clientId = `reader-${i}`;
    await new ApiClient({ baseUrl: server.url, token, clientId }).subscribe(session.id);
    readers.push(
      openRaw(server.url, token, clientId, (frame) => {
        if (!frame.includes('event: session_event') || !frame.includes(session.id)) return;
        received++;
        if (received === 1) startedAt = performance.now();
        doneAt = performance.now();
      }),
    );
  }
  await sleep(500);
  await api.sendInput(session.id, `stream ${THROUGHPUT_EVENTS} chunks every 0ms`);
  await owner.waitFor(
    (stream) => stream.events('session_event').some((event) => event.session_id === session.id && event.event.type === 'turn_complete'),
    'the end of the turn',
    120_000,
  );
  await sleep(500);
  for (const req of readers) req.destroy();
  owner.close();

  const seconds = (doneAt - startedAt) / 1000;
  console.log('\nMemory and throughput (server RSS, loopback, 2 cores)');
  console.log(`server RSS at rest: ${base.toFixed(1)} MB`);
  console.log(`per idle event-stream client: ${(((withClients - base) * 1024) / IDLE_CLIENTS).toFixed(1)} KB (${IDLE_CLIENTS} clients)`);
  console.log(
    `per idle session (with its Claude process outside the server): ${(((withSessions - beforeSessions) * 1024) / IDLE_SESSIONS).toFixed(0)} KB (${IDLE_SESSIONS} sessions)`,
  );
  console.log(
    `throughput to ${THROUGHPUT_CLIENTS} clients: ${(received / seconds).toFixed(0)} deliveries/s, ` +
      `${(received / THROUGHPUT_CLIENTS / seconds).toFixed(0)} events/s per client (${received} deliveries in ${seconds.toFixed(2)} s)`,
  );
} finally {
  await server.stop();
}
