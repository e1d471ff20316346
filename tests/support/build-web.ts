import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './server-process.ts';

const INPUTS = [
  'app',
  'lib/protocol',
  'lib/server',
  'lib/client',
  'lib/local',
  'public',
  'next.config.mjs',
  'tailwind.config.ts',
  'package-lock.json',
];

/** Vitest global setup for suites that start the real server: the production web build must be current. */
export default function buildWebIfStale(): void {
  const stamp = join(PROJECT_ROOT, '.next', 'BUILD_ID');
  const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  if (builtAt > 0 && INPUTS.every((input) => newestChange(join(PROJECT_ROOT, input)) < builtAt)) return;
  console.log('[tests] the web build is stale: running next build');
  execFileSync(process.execPath, [join(PROJECT_ROOT, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    timeout: 300_000,
  });
}

function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}
