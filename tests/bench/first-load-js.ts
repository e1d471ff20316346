// First-load JS of the dashboard: every script the `/` page loads, gzipped. The budget itself is
// checked by tests/api/first-load.test.ts. node --import tsx tests/bench/first-load-js.ts
import { randomBytes } from 'node:crypto';
import buildWebIfStale from '../support/build-web.ts';
import { measureFirstLoad } from '../support/first-load.ts';
import { startServerProcess } from '../support/server-process.ts';

buildWebIfStale();
const token = randomBytes(24).toString('hex');
const server = await startServerProcess({ env: { VIBES_TOKEN: token } });
try {
  const load = await measureFirstLoad(server, token);
  for (const script of load.scripts) console.log(`${(script.gzipped / 1024).toFixed(1).padStart(7)} KB gz  ${script.path}`);
  console.log(
    `first-load JS of /: ${load.scripts.length} files, ${(load.raw / 1024).toFixed(1)} KB raw, ${(load.gzipped / 1024).toFixed(1)} KB gzipped`,
  );
} finally {
  await server.stop();
}
