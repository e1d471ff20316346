// Playwright's webServer: bring the production web build up to date, then run the real server
// (the fake Claude answers, as with --demo) in a state folder of its own.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import buildWebIfStale from '../../support/build-web.ts';

buildWebIfStale();
process.env.VIBES_HOME ||= mkdtempSync(join(tmpdir(), 'vibes-e2e-'));
process.env.NEXT_TELEMETRY_DISABLED = '1';
await import('../../../lib/server/main.ts');
