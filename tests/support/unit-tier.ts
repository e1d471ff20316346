import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

/**
 * The unit tier's promise (`npm run test:unit`): no servers, browsers, databases or child
 * processes, so it runs in seconds anywhere. A unit test that reaches for one fails here at once;
 * it belongs in tests/integration (or a tier with servers) instead.
 */
const refuse = (what: string) => () => {
  throw new Error(`the unit tier starts no ${what}: move this test to tests/integration`);
};

for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
  (childProcess as unknown as Record<string, unknown>)[name] = refuse('child process');
}
net.Server.prototype.listen = refuse('server') as typeof net.Server.prototype.listen;
// `import { spawn } from 'node:child_process'` reads the patched functions too.
syncBuiltinESMExports();
