// Preloaded into a server under test (`--expose-gc --import`): on SIGUSR2 it collects garbage
// and prints its memory, so a soak compares what is still live rather than what the collector
// has not got round to yet.
import process from 'node:process';
import { setImmediate, setTimeout } from 'node:timers';

process.on('SIGUSR2', () => {
  globalThis.gc?.();
  // V8 frees the memory behind dead Buffers on a thread of its own after a collection: collect
  // again once the event loop has turned, so the Buffers figure counts only live ones.
  setImmediate(() => {
    globalThis.gc?.();
    setTimeout(() => {
      const { heapUsed, rss, external, arrayBuffers } = process.memoryUsage();
      console.log(`gc-level: heap ${heapUsed} rss ${rss} external ${external} buffers ${arrayBuffers}`);
    }, 20);
  });
});
