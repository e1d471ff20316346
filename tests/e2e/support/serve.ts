// Playwright's webServer: bring the production web build and dist/ up to date, then run the real server
// (the fake Claude answers, as with --demo) in a state folder of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import buildWebIfStale from '../../support/build-web.ts';
import buildDistIfStale from '../../support/build-dist.ts';
import { PROJECT_ROOT } from '../../support/server-process.ts';

buildWebIfStale();
// For the specs that start servers of their own (tests/support/server-process.ts).
buildDistIfStale();
if (!process.env.VIBES_HOME) {
  const home = mkdtempSync(join(tmpdir(), 'vibes-e2e-'));
  process.env.VIBES_HOME = home;
  // Playwright ends this server with SIGTERM (playwright.config.ts), after which it exits on its own.
  process.on('exit', () => rmSync(home, { recursive: true, force: true }));
}
process.env.NEXT_TELEMETRY_DISABLED = '1';
// The server as `npm start` runs it, compiled (as every server the tests start). Its path is built, not written
// out, so that the typecheck of a fresh clone, which has no dist/ yet, does not look for it.
await import(pathToFileURL(join(PROJECT_ROOT, 'dist/lib/server/main.js')).href);
