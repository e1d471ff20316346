// Wall time of the shipped CLI (node cli/bin/run.js over dist/), median of N runs:
// `vibes --version`, and `vibes sessions list` against a running server with five sessions,
// each beside the floor, `node -e 0`, run in turn with it (the ratio is what to compare).
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

  const once = (args: string[]) => {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 30_000 });
    const elapsed = performance.now() - started;
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`);
    return elapsed;
  };
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const measure = (label: string, args: string[]) => {
    const times: number[] = [];
    const floor: number[] = [];
    // The first pair warms the disk cache; it is not counted.
    for (let i = 0; i < runs + 1; i++) {
      const time = once([bin, ...args]);
      const floorTime = once(['-e', '0']);
      if (i === 0) continue;
      times.push(time);
      floor.push(floorTime);
    }
    const ratios = times.map((time, i) => time / floor[i]!);
    console.log(
      `${label.padEnd(28)} median ${median(times).toFixed(0).padStart(4)} ms  (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}, ${runs} runs)` +
        `  node -e 0 ${median(floor).toFixed(0)} ms  ratio ${median(ratios).toFixed(2)}`,
    );
  };

  measure('vibes --version', ['--version']);
  measure('vibes sessions list', ['sessions', 'list']);
  measure('vibes sessions list --json', ['sessions', 'list', '--json']);
} finally {
  stream.close();
  await server.stop();
}
