import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './server-process.ts';

const INPUTS = ['cli', 'lib', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
/** What the tests run: the server (from tsc), as `npm start` and the CLI start it, and the CLI in one file (from the bundler). */
const SERVER = 'dist/lib/server/main.js';
const CLI = 'dist/cli/vibes.js';
const OUTPUTS = [SERVER, CLI];

/** Global setup of every suite that starts a server or the CLI: dist/ must be built from the current sources. */
export default function buildDistIfStale(): void {
  const builtAt = Math.min(...OUTPUTS.map((output) => mtime(join(PROJECT_ROOT, output))));
  if (builtAt > 0 && INPUTS.every((input) => newestChange(join(PROJECT_ROOT, input)) < builtAt)) return;
  console.log('[tests] dist/ is stale: running tsc -p tsconfig.build.json');
  const result = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (result.status !== 0 || !existsSync(join(PROJECT_ROOT, SERVER))) {
    // `npm run build` stops at a type error, so a newcomer's `npm start` would fail: so do the tests.
    const report = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
    throw new Error(`tsc -p tsconfig.build.json failed:\n${report}`);
  }
  // The CLI in one file, then the command list oclif reads from it (as `npm run build` does).
  const bundle = spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts/bundle-cli.mjs')], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (bundle.status !== 0 || !existsSync(join(PROJECT_ROOT, CLI))) {
    throw new Error(`scripts/bundle-cli.mjs did not produce ${CLI}:\n${bundle.stdout ?? ''}${bundle.stderr ?? ''}`);
  }
  const manifest = spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts/oclif-manifest.mjs')], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (manifest.status !== 0) throw new Error(`scripts/oclif-manifest.mjs failed:\n${manifest.stdout ?? ''}${manifest.stderr ?? ''}`);
}

function mtime(path: string): number {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}
