/**
 * How the server process is started: the same by `npm start` (package.json repeats the flags;
 * tests/unit/local/server-launch.test.ts keeps them equal), `vibes serve`, the benchmarks and the
 * servers the tests start.
 * Measured in docs/benchmarks.md ("Where the memory goes"):
 * - V8 grows its young generation to two 16 MB semi-spaces while Next loads and keeps them;
 *   2 MB ones keep ~28 MB less resident at no CPU cost that stands out of the noise at 500 viewers.
 * - The old generation may grow to several times what is live before V8 collects it; growing it
 *   by 30% at a time keeps the peak under 500 viewers and what is kept after it near the live heap.
 * - glibc gives every thread its own malloc arena, kept once touched; two are enough here.
 */
export const SERVER_NODE_ARGS: readonly string[] = ['--max-semi-space-size=2', '--heap-growing-percent=30'];

/** The environment the server is started with: the caller's, with glibc's arenas bounded unless it says otherwise. */
export function serverEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { MALLOC_ARENA_MAX: '2', ...env };
}
