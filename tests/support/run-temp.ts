import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * globalSetup of every test run: one temporary folder for the run, made the temporary folder
 * (TMPDIR) of the tests and of every server and child process they start, and removed at the end.
 * A test that forgets a home, a repository or a database folder leaves nothing behind.
 */
export default function setup(): (() => void) | undefined {
  // Vitest runs a global setup once per project: the first makes the folder, the others share it.
  if (process.env.VIBES_RUN_TEMP) return undefined;
  const root = mkdtempSync(join(tmpdir(), 'vibes-run-'));
  // PostgreSQL runs as its own user when the tests run as root: it must reach its folder in here.
  chmodSync(root, 0o711);
  process.env.VIBES_RUN_TEMP = process.env.TMPDIR = root;
  return () => {
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    delete process.env.VIBES_RUN_TEMP;
  };
}
