// Wall time of the shipped CLI (node cli/bin/run.js over dist/), median of N runs:
// `vibes --version`, and `vibes sessions list` against a running server with a few sessions.
// Run after `npm run build`: node --import tsx tests/bench/cli-latency.ts [runs]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { TestEventStream } from '../support/event-stream.ts';
import { PROJECT_ROOT, startServerProcess } from '../support/server-process.ts';

const runs = Number(process.argv[2] ?? 15);
const bin = join(PROJECT_ROOT, 'cli/bin/run.js');

const server = await startServerProcess({ env: { VIBES_DISCONNECT_GRACE_MS: '60000' } });
const token = server.token();
const stream = await TestEventStream.open(server.url, { headers: { Authorization: `Bearer ${token}` } });
try {
  const api = new ApiClient({ baseUrl: server.url, token, clientId: stream.clientId });
  for (let i = 0; i < 5; i++) await api.createSession({ name: `bench ${i}` });
  const env = {
    ...process.env,
    VIBES_HOME: server.home,
    VIBES_URL: server.url,
    VIBES_TOKEN: token,
    NO_COLOR: '1',
    VIBES_NO_AUTOSTART: '1',
  };

  const measure = (label: string, args: string[]) => {
    const times: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      const started = performance.now();
      const result = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 30_000 });
      const elapsed = performance.now() - started;
      if (result.status !== 0) throw new Error(`vibes ${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`);
      // The first run warms the disk cache; it is not counted.
      if (i > 0) times.push(elapsed);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? 0;
    console.log(
      `${label.padEnd(24)} median ${median.toFixed(0).padStart(4)} ms  (min ${times[0]?.toFixed(0)}, max ${times.at(-1)?.toFixed(0)}, ${runs} runs)`,
    );
  };

  measure('vibes --version', ['--version']);
  measure('vibes sessions list', ['sessions', 'list']);
  measure('vibes sessions list --json', ['sessions', 'list', '--json']);
} finally {
  stream.close();
  await server.stop();
}
