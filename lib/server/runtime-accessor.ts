import type { Runtime } from './runtime.ts';

// The one bridge between the custom server and Next's route handlers. Next loads app/api/** (and
// the lib modules they import) a second time in its own bundles and calls the handlers itself, so
// they cannot be handed the runtime as an argument: the server installs it here, on globalThis
// under a registry symbol that both copies resolve to the same key, and lib/server/route.ts reads
// it for each request and passes it in the handler's context. Nothing else reads it: every other
// part is given what it uses when it is made (runtime.ts), or the runtime as an argument.
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
