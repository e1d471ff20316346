import type { Runtime } from './runtime.ts';

// Next loads lib modules a second time inside its route bundles, so the one runtime lives on
// globalThis under a registry symbol that both copies resolve to the same key.
const RUNTIME_KEY = Symbol.for('vibes.runtime');
type RuntimeHolder = { [RUNTIME_KEY]?: Runtime };

export function installRuntime(runtime: Runtime | undefined): void {
  (globalThis as RuntimeHolder)[RUNTIME_KEY] = runtime;
}

/** The server's runtime; only call it while handling a request. */
export function getRuntime(): Runtime {
  const runtime = (globalThis as RuntimeHolder)[RUNTIME_KEY];
  if (!runtime) throw new Error('vibes runtime is not installed: start the server with `vibes serve` or `npm start`');
  return runtime;
}
