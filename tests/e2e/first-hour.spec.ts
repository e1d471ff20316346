import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { NEEDS_PERMISSION, openDashboard, openFromList, signIn, visible, test } from './support/dashboard.ts';

// What a newcomer sees in the first hour (issue 17): cards worth a glance, a History that says
// how each session ended, a phone header in one row, and nothing opened or answered behind their back.

const SCREENSHOTS = 'test-results/screenshots';
const cardOf = (page: Page, id: string) => page.locator(`[data-testid=session-card][data-session-id="${id}"]`);
const historyOf = (page: Page, id: string) => page.locator(`[data-testid=history-card][data-session-id="${id}"]`);

test('cards: titled by the first prompt, with a preview, the project, mode and model', async ({ page, scriptApi }, testInfo) => {
  await openDashboard(page);
  const api = await scriptApi('cards');
  const prompt = `Explain the auth flow ${randomUUID().slice(0, 6)}\nin detail, please`;
  const replied = await api.createSession({ prompt, source: 'api' });
  const asking = await api.createSession({ prompt: NEEDS_PERMISSION, source: 'api' });

  const card = cardOf(page, replied.id);
  await expect(card.getByTestId('session-name')).toHaveText(prompt.split('\n')[0] ?? '');
  await expect(card.getByTestId('session-preview')).toContainText('You said:');
  await expect(card.getByTestId('session-project')).toHaveText(/^wt-17w|^[\w.-]+( · [\w./-]+)?$/);
  await expect(card.getByTestId('mode-badge')).toHaveText('Ask before edits');
  await expect(card.getByTestId('card-model')).not.toBeEmpty();
  // The server says the same to the CLI.
  expect(await api.getSession(replied.id)).toMatchObject({ title: prompt.split('\n')[0], preview: expect.stringContaining('You said:') });

  // A session that waits says what for.
  await expect(cardOf(page, asking.id).getByTestId('session-preview')).toContainText('Waits for you:');
  if (testInfo.project.name === 'pixel-7') await page.screenshot({ path: `${SCREENSHOTS}/phone-list-previews.png` });
});

test('History says how each session ended, in words and colour', async ({ page, scriptApi }, testInfo) => {
  await openDashboard(page);
  const api = await scriptApi('ends');
  const killed = await api.createSession({ prompt: `kill me ${randomUUID().slice(0, 4)}`, source: 'api' });
  const failed = await api.createSession({ prompt: 'not-logged-in please', source: 'api' });
  await expect.poll(async () => (await api.getSession(failed.id)).state, { timeout: 15_000 }).toBe('failed');
  await expect.poll(async () => (await api.getSession(killed.id)).state, { timeout: 15_000 }).toBe('idle');
  await api.kill(killed.id);
  await api.kill(failed.id);

  await expect(historyOf(page, killed.id).getByTestId('end-badge')).toHaveText(/Killed/);
  await expect(historyOf(page, killed.id).getByTestId('end-badge')).toHaveAttribute('data-tone', 'warning');
  await expect(historyOf(page, failed.id).getByTestId('end-badge')).toHaveText(/Failed/);
  await expect(historyOf(page, failed.id).getByTestId('end-badge')).toHaveAttribute('data-tone', 'bad');
  await expect(historyOf(page, failed.id).getByTestId('session-preview')).toContainText('Not logged in');
  // "No sessions yet" is for a first visit, never above a History.
  await expect(page.getByTestId('empty-state')).toHaveCount(0);
  if (testInfo.project.name === 'pixel-7') {
    await page.getByTestId('history').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}/history-end-reasons.png` });
  }

  // The failed session says why once, not in every row.
  await historyOf(page, failed.id).getByRole('link').click();
  const view = page.getByRole('region', { name: 'Session' });
  await expect(view.getByRole('alert').filter({ hasText: 'Claude Code is not logged in' })).toHaveCount(1);
  await expect(view.getByText('Not logged in · Please run /login', { exact: false })).toHaveCount(1);
});

test(
  'phone: the session header is one row with Kill in its menu; code scrolls sideways; no start-up debug line',
  { tag: '@phone' },
  async ({ page, scriptApi }, testInfo) => {
    await openDashboard(page);
    const api = await scriptApi('phone');
    const created = await api.createSession({ prompt: 'markdown please', source: 'api' });
    await openFromList(page, cardOf(page, created.id).getByRole('link'));
    const view = page.getByRole('region', { name: /^Session / });
    const header = view.getByTestId('session-header');
    const menu = header.getByRole('button', { name: 'More actions' });
    await expect(menu).toBeVisible();
    await expect(header.getByTestId('session-where')).toContainText('claude-fake');
    const headerBox = await header.boundingBox();
    const menuBox = await menu.boundingBox();
    const titleBox = await header.getByTestId('session-title').boundingBox();
    // One row: no taller than two lines of text around a 44 px button, the menu at the row's end.
    expect(headerBox?.height).toBeLessThanOrEqual(64);
    expect(Math.abs((menuBox?.y ?? 0) + (menuBox?.height ?? 0) / 2 - ((headerBox?.y ?? 0) + (headerBox?.height ?? 0) / 2))).toBeLessThan(
      12,
    );
    expect(titleBox?.y ?? 0).toBeGreaterThanOrEqual(headerBox?.y ?? 0);
    await menu.click();
    await expect(header.getByRole('menuitem', { name: 'Kill session…' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(header.getByRole('menu')).toHaveCount(0);
    await expect(menu).toBeFocused();

    const code = view.locator('.vibes-prose pre').first();
    await expect(code).toContainText('requireSubscribedClientBeforeAnsweringPermissionRequests');
    expect(await code.evaluate((element) => getComputedStyle(element).whiteSpace)).toBe('pre');
    expect(await code.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
    await expect(view.getByRole('region', { name: 'Table' }).getByRole('cell', { name: 'Forbidden' })).toBeVisible();
    // The page itself never scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expect(view.locator('[data-testid=system-note][data-subtype=init]')).toHaveCount(0);
    if (testInfo.project.name === 'pixel-7') await page.screenshot({ path: `${SCREENSHOTS}/phone-session-header.png` });
  },
);

test('a desktop tab opens no session by itself, so it is no one’s viewer', async ({ page, scriptApi }, testInfo) => {
  await openDashboard(page);
  const api = await scriptApi('alone');
  const created = await api.createSession({ prompt: `just me ${randomUUID().slice(0, 4)}`, source: 'api' });
  await expect(cardOf(page, created.id)).toBeVisible();
  if (testInfo.project.name === 'desktop') await expect(page.getByTestId('no-session-open')).toBeVisible();
  expect(page.url()).not.toContain('session=');
  await api.subscribe(created.id);
  expect((await api.getSession(created.id)).subscriber_count).toBe(1);
});

test('Allow on a card of a session this tab never opened works at the first try', async ({ page, scriptApi }) => {
  await openDashboard(page);
  const forbidden: string[] = [];
  page.on('response', (response) => {
    if (response.status() === 403) forbidden.push(`${response.request().method()} ${response.url()}`);
  });
  const api = await scriptApi('asker');
  const created = await api.createSession({ prompt: NEEDS_PERMISSION, source: 'api' });
  const card = cardOf(page, created.id);
  await card.getByTestId('permission-prompt').getByRole('button', { name: 'Allow', exact: true }).click();
  await expect(card.getByTestId('session-state')).toHaveAttribute('data-state', 'idle');
  expect(forbidden).toEqual([]);
});

// A server of its own, started as `npm start` is (new sessions run your Claude), with nothing in it yet.
test(
  'a first visit: the empty state offers the demo, and the New dialog offers Claude: yours or demo',
  { tag: '@pixel-7' },
  async ({ page }) => {
    const server: ServerProcess = await startServerProcess({
      env: { VIBES_DEMO: '0', VIBES_CLAUDE_PATH: resolve('lib/fake-claude/fake-claude.mjs') },
    });
    try {
      await signIn(page, server.url, undefined, server.token());
      await expect(visible(page, 'connection').first()).toHaveAttribute('data-status', 'live');
      const empty = page.getByTestId('empty-state');
      await expect(empty).toContainText('No sessions yet');

      await page.getByRole('button', { name: /new/i }).first().click();
      const dialog = page.getByRole('dialog', { name: 'New session' });
      await expect(dialog.getByRole('radio', { name: 'Yours' })).toBeChecked();
      await expect(dialog.getByRole('radio', { name: 'Demo' })).not.toBeChecked();
      await page.keyboard.press('Escape');

      await empty.getByRole('button', { name: 'Try the demo' }).click();
      const view = page.getByRole('region', { name: /^Session / });
      await expect(visible(page, 'session-title')).toHaveText(/^Show me around/);
      await view.getByTestId('decision-panel').getByRole('button', { name: 'Allow', exact: true }).click();
      await expect(view.getByRole('region', { name: 'Table' })).toBeVisible();
      const api = new ApiClient({ baseUrl: server.url, token: server.token(), clientId: `e2e-first-${randomUUID().slice(0, 8)}` });
      const [session] = await api.listSessions();
      expect(session).toMatchObject({ demo: true, title: expect.stringMatching(/^Show me around/) });
    } finally {
      await server.stop();
    }
  },
);
