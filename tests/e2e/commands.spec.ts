import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type TestInfo, type Page } from '@playwright/test';
import { card, openDashboard, openFromList, uniqueName, visible, test } from './support/dashboard.ts';

// Slash commands in the composer and the context gauge, against the fake Claude: it lists the
// folder's .claude/commands beside a few built-ins, and `near-limit` fills its context to 75% of
// a window it compacts at 83.5% (lib/fake-claude/context.mjs).

const SCREENSHOTS = 'test-results/screenshots';
let folder = '';

test.beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'vibes-e2e-commands-'));
  mkdirSync(join(folder, '.claude', 'commands'), { recursive: true });
  writeFileSync(
    join(folder, '.claude', 'commands', 'hello.md'),
    '---\ndescription: Greets someone\nargument-hint: <name>\n---\nSay hello to $ARGUMENTS\n',
  );
});

test.afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: `${SCREENSHOTS}/${testInfo.project.name}-${name}.png` });
}

test('the context gauge near its limit, and slash commands listed as you type, run from the composer', async ({
  page,
  scriptApi,
}, testInfo) => {
  const phone = testInfo.project.name !== 'desktop';
  await openDashboard(page);
  const name = uniqueName('commands');
  const created = await (await scriptApi('commands')).createSession({ name, cwd: folder, prompt: 'near-limit', source: 'api' });

  // On the card: amber, with the words in its title.
  const sessionCard = card(page, name);
  const cardGauge = sessionCard.getByTestId('context-gauge');
  await expect(cardGauge).toHaveAttribute('data-near-limit', 'true');
  await expect(cardGauge).toHaveText('75%');
  await expect(cardGauge).toHaveAttribute('title', 'Context 75% full: 150k of 200k tokens. Claude compacts the conversation soon at 83.5%');

  // Open it: the page subscribes, so the session outlives the script that made it.
  await openFromList(page, sessionCard.getByRole('link'));
  await expect(page).toHaveURL(new RegExp(`session=${created.id}`));
  const view = page.getByRole('region', { name: /^Session / });
  const gauge = view.getByTestId('context-gauge');
  await expect(gauge).toHaveAttribute('data-near-limit', 'true');
  // Under the title, never beside it: the title keeps its whole width on a phone.
  const title = await visible(page, 'session-title').boundingBox();
  const gaugeBox = await gauge.boundingBox();
  expect(title && gaugeBox && gaugeBox.y >= title.y + title.height - 1).toBe(true);
  await expect(view.getByTestId('turn-complete')).toHaveCount(1);
  await screenshot(page, testInfo, 'context-near-limit');

  // Typing `/` lists the commands with their hints; typing more filters them.
  const composer = view.getByTestId('composer');
  await composer.fill('/');
  const menu = view.getByTestId('slash-menu');
  const options = menu.getByTestId('slash-option');
  await expect(options.filter({ hasText: '/hello' })).toContainText('<name>');
  await expect(options.filter({ hasText: '/hello' })).toContainText('Greets someone (project)');
  await expect(options.filter({ hasText: '/compact' })).toBeVisible();
  await composer.pressSequentially('co');
  await expect(options).toHaveText([/^\/compact/, /^\/context/]);
  if (phone) expect((await options.first().boundingBox())?.height).toBeGreaterThanOrEqual(44);
  await screenshot(page, testInfo, 'slash-commands');
  const violations = (await new AxeBuilder({ page }).analyze()).violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  expect(violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);

  // Escape closes the list; arrows move through it; Tab inserts the command and shows what it takes.
  await composer.press('Escape');
  await expect(menu).toBeHidden();

  // Also while Claude works: the list is there, and what is sent waits for the turn.
  await composer.fill('stream 3 chunks every 1500ms');
  await composer.press('Enter');
  await expect(view.getByTestId('session-state')).toHaveAttribute('data-state', 'processing');
  await composer.fill('/');
  await expect(options.filter({ hasText: '/hello' })).toBeVisible();
  await composer.press('Escape');
  await composer.fill('/h');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await composer.press('Tab');
  await expect(composer).toHaveValue('/hello ');
  await expect(view.getByTestId('slash-hint')).toContainText('/hello <name>');
  await composer.pressSequentially('world');
  await composer.press('Enter');
  await expect(view.getByTestId('user-input').filter({ hasText: '/hello world' })).toBeVisible();
  await expect(composer).toHaveValue('');

  // A command that takes nothing runs on Enter, as in the terminal.
  await composer.fill('/conte');
  await expect(options).toHaveText([/^\/context/]);
  await composer.press('ArrowDown');
  await composer.press('Enter');
  await expect(view.getByTestId('user-input').filter({ hasText: '/context' })).toBeVisible();
  await expect(composer).toHaveValue('');
  // One that takes arguments is inserted, by a tap too; sent as it is, /compact compacts, and the note says what it did.
  await composer.fill('/compa');
  await options.filter({ hasText: '/compact' }).click();
  await expect(composer).toHaveValue('/compact ');
  await composer.press('Enter');
  await expect(view.getByTestId('system-note').filter({ hasText: 'Conversation compacted on request' })).toContainText(/→ 16k tokens/);
  await expect(gauge).not.toHaveAttribute('data-near-limit', 'true');
  await expect(gauge).toHaveText('8%');
});
