// Every benchmark, one after another (they share two cores, so never at once): `npm run bench`.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { PROJECT_ROOT } from '../support/server-process.ts';

const benches = [
  ['SSE fan-out (1, 100, 1000 clients)', ['tests/bench/sse-fanout.ts', '1', '100', '1000']],
  ['SSE fan-out targets (200, 500 clients)', ['tests/bench/sse-fanout.ts', '200', '500']],
  ['SSE fan-out, a chunk every 20 ms (500 clients)', ['tests/bench/sse-fanout.ts', '500'], { VIBES_BENCH_EVERY_MS: '20' }],
  ['SSE fan-out across a cluster (500 viewers over three nodes, beside one node)', ['tests/bench/sse-fanout-cluster.ts', '500']],
  ['memory and throughput', ['tests/bench/memory-throughput.ts']],
  ['what a replay ring entry costs', ['tests/bench/replay-ring.ts']],
  ['vibes beside the floor: ready, subscribe storm, bytes, memory over a series', ['tests/bench/lean.ts', '500', '15']],
  ['store overhead', ['tests/bench/store-overhead.ts']],
  ['a cluster node writing a burst to PostgreSQL: event-loop delay (loopback)', ['tests/bench/cluster-write-burst.ts', '2000', '20']],
  [
    'a cluster node writing a burst to PostgreSQL: event-loop delay (2 ms round trip)',
    ['tests/bench/cluster-write-burst.ts', '500', '20', '2'],
  ],
  ['CLI latency', ['tests/bench/cli-latency.ts']],
  ['admission: the token holder, the CLI and a browser beside 500 idle sockets', ['tests/bench/admission.ts', '500']],
  ['dashboard first-load JS', ['tests/bench/first-load-js.ts']],
  ['open a 10,000-event transcript on a phone', ['tests/bench/open-transcript.ts']],
  ['a 12-megapixel photo from the phone to Claude', ['tests/bench/attachments.ts']],
  ['changes of a 20,000-file repository with 300 changed', ['tests/bench/changes.ts']],
] as const;

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}`,
);
let failed = 0;
for (const [title, args, env] of benches) {
  console.log(`\n=== ${title}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: 'inherit',
    timeout: 15 * 60_000,
  });
  if (result.status !== 0) {
    failed++;
    console.log(`(${title} did not finish: ${result.status ?? result.signal})`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
