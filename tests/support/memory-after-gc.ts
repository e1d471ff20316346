import { join } from 'node:path';
import { PROJECT_ROOT } from './server-process.ts';

/** Node flags for a server under test that collects garbage on SIGUSR2 and prints its memory (gc-on-signal.mjs). */
export const GC_ON_SIGNAL_NODE_ARGS = ['--expose-gc', '--import', join(PROJECT_ROOT, 'tests/support/gc-on-signal.mjs')];

/** Live memory of a server started with GC_ON_SIGNAL_NODE_ARGS: heap, RSS and Buffers right after a full collection. */
export async function memoryAfterGc(server: {
  pid: number;
  output(): string;
}): Promise<{ heapMb: number; rssMb: number; buffersMb: number }> {
  const seen = server.output().split('gc-level:').length;
  process.kill(server.pid, 'SIGUSR2');
  for (let waited = 0; waited < 10_000; waited += 50) {
    const levels = server.output().split('gc-level:');
    if (levels.length > seen) {
      const [, heap, rss, buffers] = /heap (\d+) rss (\d+) external \d+ buffers (\d+)/.exec(levels.at(-1)!) ?? [];
      return { heapMb: Number(heap) / 1024 ** 2, rssMb: Number(rss) / 1024 ** 2, buffersMb: Number(buffers) / 1024 ** 2 };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the server did not report its memory after SIGUSR2');
}
