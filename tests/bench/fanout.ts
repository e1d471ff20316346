// What the SSE fan-out benchmarks share: viewers subscribed to one session on one or more
// servers, the fake Claude streaming stamped chunks, and the figures counted the same way for
// every row (latency, lost, doubled, deliveries, CPU per 100k deliveries).
import { request } from 'node:http';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { TestEventStream } from '../support/event-stream.ts';
import { cpuSeconds, wallClockMs } from './production-server.ts';

export const CHUNKS = 1500;
/** 5 ms by default; `VIBES_BENCH_EVERY_MS=20` for a slower stream, where fewer events share a tick. */
export const EVERY_MS = Number(process.env.VIBES_BENCH_EVERY_MS ?? 5);

interface Receiver {
  seqs: number[];
  latencies: number[];
  deliveries: number;
  close(): void;
}

/** A lean SSE reader: the load generator shares two cores with the servers, so it parses little. */
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
          // Every event frame is a delivery (pings are comments); list updates carry no id.
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

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export interface FanoutOptions {
  /** The servers the viewers spread over, one after another; the session runs on the last. */
  servers: readonly { url: string; pid: number }[];
  token: string;
  viewers: number;
  /** Every process whose CPU the row counts (the servers, and the engines of a cluster). */
  cpuPids: () => number[];
  /** Quiet time after the viewers connect and after the turn ends. */
  settleMs?: number;
  /** Started when the stream starts; what it returns is called when it ends (an RSS sampler). */
  whileStreaming?: () => () => void;
}

export interface FanoutResult {
  p50: number;
  p99: number;
  max: number;
  samples: number;
  lost: number;
  doubled: number;
  deliveries: number;
  cpuPer100k: number;
}

/** K viewers of one session: the session streams CHUNKS stamped chunks EVERY_MS apart; every viewer counts. */
export async function measureFanout(options: FanoutOptions): Promise<FanoutResult> {
  const { servers, token, viewers } = options;
  const settleMs = options.settleMs ?? 500;
  const host = servers.at(-1)!;
  const owner = await TestEventStream.open(host.url, { headers: { Authorization: `Bearer ${token}` } });
  const api = new ApiClient({ baseUrl: host.url, token, clientId: owner.clientId });
  const session = await api.createSession({ name: 'bench' });
  const receivers: Receiver[] = [];
  for (let i = 0; i < viewers; i++) {
    const server = servers[i % servers.length]!;
    const clientId = `bench-${i}`;
    await new ApiClient({ baseUrl: server.url, token, clientId }).subscribe(session.id);
    receivers.push(await receive(server.url, token, clientId, session.id));
  }
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const cpuBefore = new Map(options.cpuPids().map((pid) => [pid, cpuSafe(pid)]));
  const deliveriesBefore = receivers.reduce((sum, r) => sum + r.deliveries, 0);
  const stopSampling = options.whileStreaming?.();
  await api.sendInput(session.id, `stream ${CHUNKS} chunks every ${EVERY_MS}ms stamp`);
  await owner.waitFor(
    (stream) => stream.events('session_event').some((event) => event.session_id === session.id && event.event.type === 'turn_complete'),
    'the end of the turn',
    CHUNKS * EVERY_MS * 20 + 30_000,
  );
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  stopSampling?.();
  let cpu = 0;
  for (const [pid, before] of cpuBefore) {
    const after = cpuSafe(pid);
    if (before !== undefined && after !== undefined) cpu += after - before;
  }
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
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    samples: latencies.length,
    lost,
    doubled,
    deliveries,
    cpuPer100k: deliveries > 0 ? (cpu / deliveries) * 100_000 : NaN,
  };
}

/** Undefined for a process that is gone (a PostgreSQL backend that ended): it is left out of the sum. */
function cpuSafe(pid: number): number | undefined {
  try {
    return cpuSeconds(pid);
  } catch {
    return undefined;
  }
}
