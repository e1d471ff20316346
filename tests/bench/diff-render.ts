// How long the phone takes to render the diff of one 5,000-line file (Changes tab, Pixel 7 viewport).
// node --import tsx tests/bench/diff-render.ts   (builds the web app first if stale)
//
// A session runs in a git repository whose 5,000-line TypeScript file has every fourth line
// changed: git's diff of it is some 6,250 rows. The timer runs from the tap on "Show the diff"
// (the patch already fetched) until the rows are in the page and a frame has been painted.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, devices, type Page } from '@playwright/test';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import buildWebIfStale from '../support/build-web.ts';
import { startServerProcess } from '../support/server-process.ts';
import { deviceCookie } from '../support/sign-in.ts';
import { CHROMIUM_LAUNCH } from '../support/chromium.ts';

const LINES = 5_000;
const ROUNDS = 5;
const token = randomBytes(24).toString('hex');

const line = (index: number, changed: boolean) =>
  index % 50 === 0
    ? `export function step${index}(value: number): number {`
    : index % 50 === 49
      ? '}'
      : `  const item${index} = compute("${changed ? 'updated' : 'original'} value", ${index}, ${changed ? index * 2 : index}); // note ${index}`;
const source = (changed: boolean) => Array.from({ length: LINES }, (_, index) => line(index, changed && index % 4 === 1)).join('\n') + '\n';

const repo = mkdtempSync(join(tmpdir(), 'vibes-bench-diff-'));
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe', timeout: 30_000 }).toString();
writeFileSync(join(repo, 'big.ts'), source(false));
git('init', '-q', '-b', 'main');
git('config', 'user.email', 'bench@example.invalid');
git('config', 'user.name', 'bench');
git('add', '-A');
git('commit', '-q', '-m', 'initial');

buildWebIfStale();
const server = await startServerProcess({
  env: { VIBES_TOKEN: token, VIBES_RATE_LIMIT_PER_SECOND: '1000', VIBES_DISCONNECT_GRACE_MS: '600000' },
});
const browser = await chromium.launch(CHROMIUM_LAUNCH);
try {
  const api = new ApiClient({ baseUrl: server.url, token, clientId: 'bench-diff' });
  const session = await api.createSession({ name: 'big diff', cwd: repo, demo: true });
  writeFileSync(join(repo, 'big.ts'), source(true));
  const patch = git('diff', '--', 'big.ts');
  // The server counts the changes again when a turn starts.
  await api.sendInput(session.id, 'hello');
  for (const started = Date.now(); Date.now() - started < 60_000;) {
    if ((await api.getSession(session.id)).changes?.files === 1) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.log(`patch: ${patch.split('\n').length} lines, ${(patch.length / 1024).toFixed(0)} KB`);

  const context = await browser.newContext({ ...devices['Pixel 7'] });
  const page = await context.newPage();
  await context.addCookies([{ ...cookieParts(await deviceCookie(server.url, token)), url: server.url }]);
  if (
    !(await api.changes(session.id).then(
      () => true,
      () => false,
    ))
  )
    await serveGitsAnswer(page, session.id, patch);
  await page.goto(`${server.url}/?session=${session.id}`);
  await page.locator('[data-testid=connection][data-status=live]:visible').first().waitFor();
  await page.getByTestId('tab-changes').click();

  const firstOpen = await openAndMeasure(page);
  const again: number[] = [];
  for (let round = 1; round < ROUNDS; round++) again.push(await openAndMeasure(page));
  await page.locator('[data-testid=changed-file][data-path="big.ts"]').click();
  await page.getByRole('button', { name: 'Show the diff' }).click();
  const rows = await page.locator('[data-testid=code-diff]').getAttribute('data-rows');
  const mounted = await page.locator('[data-testid=diff-line]').count();
  await page.getByRole('button', { name: 'All changes' }).click();

  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const throttled: number[] = [];
  for (let round = 0; round < 3; round++) throttled.push(await openAndMeasure(page));
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
  const fmt = (values: number[]) => values.map((value) => value.toFixed(0)).join(', ');
  console.log(`diff rows: ${rows}, rows mounted: ${mounted}`);
  console.log(`tap "Show the diff" to rows painted (Pixel 7 viewport): first after the page loaded ${firstOpen.toFixed(0)} ms`);
  console.log(`  again: ${fmt(again)} ms, median ${median(again).toFixed(0)} ms`);
  console.log(`  with the CPU slowed 4x: ${fmt(throttled)} ms, median ${median(throttled).toFixed(0)} ms`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(repo, { recursive: true, force: true });
}

/** Opens big.ts from the list, taps "Show the diff", and times it until the rows are painted; then goes back. */
async function openAndMeasure(page: Page): Promise<number> {
  await page.locator('[data-testid=changed-file][data-path="big.ts"]').click();
  await page.getByRole('button', { name: 'Show the diff' }).waitFor();
  // A string, so the bundler's helpers (tsx names functions) do not leak into the page.
  const ms = await page.evaluate<number>(`(async () => {
    const button = [...document.querySelectorAll('button')].find((candidate) => candidate.textContent === 'Show the diff');
    if (!button) throw new Error('no "Show the diff" button');
    const shown = () => document.querySelector('[data-testid=code-diff] [data-testid=diff-line]') !== null;
    const started = performance.now();
    button.click();
    await new Promise((resolve) => {
      if (shown()) return resolve();
      const observer = new MutationObserver(() => {
        if (!shown()) return;
        observer.disconnect();
        resolve();
      });
      observer.observe(document.body, { childList: true, subtree: true });
    });
    // The rows are in the page: wait for the frame that paints them.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    return performance.now() - started;
  })()`);
  await page.getByRole('button', { name: 'All changes' }).click();
  return ms;
}

/** Until the server answers the changes routes: the same answers, made here from git's patch. */
async function serveGitsAnswer(page: Page, id: string, patch: string) {
  console.log('(the server does not answer the changes routes yet: the bench serves git’s patch in their shape)');
  const additions = (patch.match(/^\+(?!\+\+)/gm) ?? []).length;
  const deletions = (patch.match(/^-(?!--)/gm) ?? []).length;
  const file = { path: 'big.ts', old_path: null, status: 'modified', additions, deletions, binary: false };
  await page.route(`**/api/sessions/${id}/changes?*`, (route) =>
    route.fulfill({
      json: {
        source: 'git',
        base: 'start',
        base_commit: null,
        head_commit: null,
        scope: '',
        truncated: false,
        additions,
        deletions,
        computed_at: Math.floor(Date.now() / 1000),
        files: [{ ...file, by_session: false }],
      },
    }),
  );
  await page.route(`**/api/sessions/${id}/changes/diff?*`, (route) =>
    route.fulfill({ json: { ...file, patch, omitted: null, size: patch.length } }),
  );
}

function cookieParts(cookie: string): { name: string; value: string } {
  const separator = cookie.indexOf('=');
  return { name: cookie.slice(0, separator), value: cookie.slice(separator + 1) };
}
