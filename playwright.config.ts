import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './tests/support/chromium.ts';

// Set once in the main process; workers inherit the environment, so all agree on it.
process.env.VIBES_E2E_TOKEN ||= randomBytes(24).toString('hex');
process.env.VIBES_E2E_PORT ||= freeLoopbackPort();
const port = process.env.VIBES_E2E_PORT;

const launchOptions = CHROMIUM_LAUNCH;

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  timeout: 45_000,
  expect: { timeout: 10_000 },
  globalTimeout: 10 * 60_000,
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
    trace: 'retain-on-failure',
    launchOptions,
  },
  projects: [
    // multi-device.spec and devices.spec drive their own desktop and phone contexts; one phone project is enough to drop a connection.
    // real-claude-*.spec and bypass-mode.spec start servers of their own: once, on the Pixel 7.
    // decisions.spec is about phones; the desktop answers requests in multi-device.spec.
    // notifications.spec (push to the service worker) and https.spec (its own servers) run on the Pixel 7.
    // cluster.spec starts two nodes on Redis and PostgreSQL of its own: once, on the desktop.
    // work.spec (changes, diffs, undo, files) runs on both: the phone's layout and the desktop's.
    // A test tagged @phone, @desktop or @pixel-7 runs only on those projects (tag, not skip: nothing is listed as skipped).
    {
      name: 'desktop',
      use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 }, launchOptions },
      testIgnore: /reconnect\.spec|decisions\.spec|phone-context\.spec|bypass-mode\.spec|real-claude|notifications\.spec|https\.spec/,
      grepInvert: /@phone|@pixel-7/,
    },
    {
      name: 'pixel-7',
      use: { ...devices['Pixel 7'], launchOptions },
      testIgnore: /multi-device\.spec|devices\.spec|cluster\.spec/,
      grepInvert: /@desktop/,
    },
    // The narrowest phone, for the layouts that must fit it (cards, dialogs, requests); behaviour is the Pixel 7's.
    {
      name: 'iphone-13',
      use: { ...devices['iPhone 13'], browserName: 'chromium', launchOptions },
      testMatch: /\/(dashboard|decisions|phone-screens|organise)\.spec\.ts$/,
      grepInvert: /@desktop|@pixel-7/,
    },
  ],
  webServer: {
    command: `node --import tsx tests/e2e/support/serve.ts --port ${port} --demo`,
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    // Ended as a user ends it, so it shuts down its sessions and removes its state folder (serve.ts); killed if it takes longer.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      VIBES_TOKEN: process.env.VIBES_E2E_TOKEN,
      VIBES_HOST: '127.0.0.1',
      // Short, so the ownership test sees a closed tab's sessions pass on within seconds.
      VIBES_DISCONNECT_GRACE_MS: '3000',
      VIBES_RATE_LIMIT_PER_SECOND: '1000',
      VIBES_RATE_LIMIT_BURST: '1000',
      // notifications.spec subscribes with a loopback endpoint: the owner's opt-in to private push endpoints.
      VIBES_PUSH_ALLOW_PRIVATE: '1',
      NEXT_TELEMETRY_DISABLED: '1',
    },
  },
});

/**
 * A port nothing listens on now. A fixed one failed the whole suite whenever another run on the machine (a second checkout's
 * suite, a server left from a loop) held it: Playwright refuses a webServer URL that already answers. Synchronous, because
 * the config is evaluated before anything else.
 */
function freeLoopbackPort(): string {
  const script =
    "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); });";
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
}
