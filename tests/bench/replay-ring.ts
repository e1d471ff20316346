// What the replay ring costs: the production server's live heap (after a full collection) grows
// by this much while one session streams N text deltas, with the default ring against a ring of
// 16; the difference over N is one entry. The rest of the growth is the server warming up (the
// route code Next loads on first use, V8's feedback and compiled code), the same in both.
// Run after `npm run build`: node --import tsx tests/bench/replay-ring.ts [deltas=3000]
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { GC_ON_SIGNAL_NODE_ARGS, memoryAfterGc } from '../support/memory-after-gc.ts';
import { startProductionServer } from './production-server.ts';

const DELTAS = Number(process.argv[2] ?? 3000);
const TURNS = 6;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Heap growth over the stream, in MB, and how many events the session published. */
async function heapGrowth(ringSize: string): Promise<{ growthMb: number; events: number }> {
  const server = await startProductionServer({ VIBES_REPLAY_RING_SIZE: ringSize, VIBES_STORE: 'sqlite' }, GC_ON_SIGNAL_NODE_ARGS);
  try {
    const api = new ApiClient({ baseUrl: server.url, token: server.token, clientId: 'ring-bench' });
    const session = await api.createSession({ name: 'ring' });
    await sleep(1500);
    const before = await memoryAfterGc(server);
    for (let turn = 0; turn < TURNS; turn++) {
      await api.sendInput(session.id, `stream ${Math.ceil(DELTAS / TURNS)} chunks every 1ms`);
      const deadline = Date.now() + 60_000;
      while ((await api.getSession(session.id)).state !== 'idle') {
        if (Date.now() > deadline) throw new Error('the stream did not end within 60 s');
        await sleep(100);
      }
    }
    await sleep(500);
    const after = await memoryAfterGc(server);
    const { last_seq: events } = await api.events(session.id, { limit: 1 });
    return { growthMb: after.heapMb - before.heapMb, events };
  } finally {
    await server.stop();
  }
}

const full = await heapGrowth('10000');
const small = await heapGrowth('16');
console.log(`\nReplay ring: heap growth over ${full.events} session events, after a full collection`);
console.log(`default ring (10,000): ${full.growthMb.toFixed(2)} MB; ring of 16: ${small.growthMb.toFixed(2)} MB`);
console.log(`per ring entry: ~${(((full.growthMb - small.growthMb) * 1024 ** 2) / full.events).toFixed(0)} B`);
