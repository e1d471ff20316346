// How long the phone takes to open a session with 10,000 transcript events.
// node --import tsx tests/bench/open-transcript.ts   (builds the web app first if stale)
import { randomBytes } from 'node:crypto';
import { chromium, devices } from '@playwright/test';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import buildWebIfStale from '../support/build-web.ts';
import { startServerProcess } from '../support/server-process.ts';
import { deviceCookie } from '../support/sign-in.ts';
import { CHROMIUM_LAUNCH } from '../support/chromium.ts';

const TARGET_EVENTS = 10_000;
const TURNS = 4;
const token = randomBytes(24).toString('hex');

buildWebIfStale();
const server = await startServerProcess({
  env: { VIBES_TOKEN: token, VIBES_RATE_LIMIT_PER_SECOND: '1000', VIBES_DISCONNECT_GRACE_MS: '600000' },
});
const browser = await chromium.launch(CHROMIUM_LAUNCH);
try {
  const api = new ApiClient({ baseUrl: server.url, token, clientId: 'bench-writer' });
  // Several long streamed replies: every chunk is one transcript event.
  const chunks = Math.ceil(TARGET_EVENTS / TURNS);
  const session = await api.createSession({ name: 'ten thousand', prompt: `stream ${chunks} chunks every 0ms` });
  for (let turn = 1; turn < TURNS; turn++) await api.sendInput(session.id, `stream ${chunks} chunks every 0ms`);
  let lastSeq = 0;
  for (const started = Date.now(); Date.now() - started < 120_000;) {
    const [info, page] = await Promise.all([api.getSession(session.id), api.events(session.id, { after: 0, limit: 1 })]);
    lastSeq = page.last_seq;
    if (info.state === 'idle' && info.queued_inputs === 0 && lastSeq >= TARGET_EVENTS) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.log(`session ${session.id}: ${lastSeq} transcript events`);

  const context = await browser.newContext({ ...devices['Pixel 7'] });
  const page = await context.newPage();
  await context.addCookies([{ ...cookieParts(await deviceCookie(server.url, token)), url: server.url }]);
  await page.goto(server.url);
  await page.locator('[data-testid=connection][data-status=live]').first().waitFor();
  await page.getByTestId('session-card').first().waitFor();
  // Let the idle-time preload of the session view finish, as it would for a person reading the list.
  await page.waitForTimeout(1500);

  const tapToOpen: number[] = [];
  for (let round = 0; round < 3; round++) {
    const started = Date.now();
    await page.getByTestId('session-card').first().getByRole('link').click();
    await page.locator('[data-testid=transcript] [data-testid=turn-complete]').last().waitFor();
    tapToOpen.push(Date.now() - started);
    await page.getByRole('button', { name: 'Back to sessions' }).click();
    await page.getByTestId('session-list').waitFor();
    // Forget the cached transcript, so each round loads it from the server again.
    await page.reload();
    await page.locator('[data-testid=connection][data-status=live]').first().waitFor();
    await page.waitForTimeout(1500);
  }

  const coldLoads: number[] = [];
  for (let round = 0; round < 3; round++) {
    const started = Date.now();
    await page.goto(`${server.url}/?session=${session.id}`);
    await page.locator('[data-testid=transcript] [data-testid=turn-complete]').last().waitFor();
    coldLoads.push(Date.now() - started);
  }
  const rows = await page.locator('[data-testid=transcript-rows] > *').count();
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(`tap a card to transcript shown (Pixel 7): ${tapToOpen.join(', ')} ms, median ${median(tapToOpen)} ms`);
  console.log(`cold page load of /?session=ID to transcript shown: ${coldLoads.join(', ')} ms, median ${median(coldLoads)} ms`);
  console.log(`rows mounted: ${rows}`);
} finally {
  await browser.close();
  await server.stop();
}

function cookieParts(cookie: string): { name: string; value: string } {
  const separator = cookie.indexOf('=');
  return { name: cookie.slice(0, separator), value: cookie.slice(separator + 1) };
}
