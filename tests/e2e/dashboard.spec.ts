import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { card, NEEDS_PERMISSION, openDashboard, openFromList, SCENARIO, uniqueName, visible, test } from './support/dashboard.ts';

const SCREENSHOTS = 'test-results/screenshots';

async function expectNoSeriousViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(
    serious.map(
      (violation) => `${what}: ${violation.id} (${violation.impact}) ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}

test('a session started through the API appears live and moves processing -> needs approval -> idle', async ({
  page,
  scriptApi,
}, testInfo) => {
  const phone = testInfo.project.name !== 'desktop';
  // Watched from the dashboard on, once signed in.
  await openDashboard(page);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  const api = await scriptApi('creator');
  const name = uniqueName('api session');
  const created = await api.createSession({ name, prompt: SCENARIO.slowReply, source: 'api' });

  const sessionCard = card(page, name);
  await expect(sessionCard).toBeVisible();
  // State and words in one look: the reply lasts ~6 s, and a loaded machine may spend it between two looks.
  await expect(sessionCard.locator('[data-testid=session-state][data-state=processing]')).toContainText('Working');

  // Open it: the page subscribes, so the session outlives the script that made it.
  await openFromList(page, sessionCard.getByRole('link'));
  await expect(page).toHaveURL(new RegExp(`session=${created.id}`));
  const view = page.getByRole('region', { name: /^Session / });
  await expect(view.getByTestId('assistant-text').first()).toBeVisible();
  await expect(view.getByTestId('session-state')).toHaveAttribute('data-state', 'idle', { timeout: 15_000 });
  await expect(view.getByTestId('assistant-text').first()).toHaveAttribute('data-streaming', 'false');
  await expect(view.getByTestId('turn-complete')).toHaveCount(1);

  if (phone) {
    await page.getByRole('button', { name: 'Back to sessions' }).click();
    await expect(page).not.toHaveURL(/session=/);
  }
  // The script was silent longer than the e2e grace period, so it watches again before typing.
  await api.subscribe(created.id);
  await api.sendInput(created.id, NEEDS_PERMISSION, 'api');
  await expect(sessionCard.getByTestId('session-state')).toHaveAttribute('data-state', 'waiting_permission');
  await expect(sessionCard.getByTestId('session-state')).toContainText('Needs approval');
  const prompt = sessionCard.getByTestId('permission-prompt');
  await expect(prompt).toBeVisible();

  if (testInfo.project.name === 'pixel-7') await page.screenshot({ path: `${SCREENSHOTS}/phone-list.png` });
  await expectNoSeriousViolations(page, 'session list');

  await prompt.getByRole('button', { name: 'Allow', exact: true }).click();
  await expect(sessionCard.getByTestId('session-state')).toHaveAttribute('data-state', 'idle');
  await expect(prompt).toBeHidden();

  // The browser's back and forward buttons move between the list and the session.
  await openFromList(page, sessionCard.getByRole('link'));
  await expect(page.getByRole('region', { name: /^Session / }).getByTestId('tool-call')).toBeVisible();
  await expect(page.getByRole('region', { name: /^Session / }).getByTestId('turn-complete')).toHaveCount(2);
  if (testInfo.project.name === 'pixel-7') await page.screenshot({ path: `${SCREENSHOTS}/phone-session.png` });
  if (testInfo.project.name === 'desktop') await page.screenshot({ path: `${SCREENSHOTS}/desktop-split.png` });
  await expectNoSeriousViolations(page, 'session view');

  if (phone) {
    await page.goBack();
    await expect(page.getByTestId('session-list')).toBeVisible();
    await page.goForward();
    await expect(visible(page, 'session-title')).toHaveText(name);
    // A reload keeps the open session: the URL names it.
    await page.reload();
    await expect(visible(page, 'session-title')).toHaveText(name);
  } else {
    // From 1024 px both show side by side.
    await expect(page.getByTestId('session-list')).toBeVisible();
  }
  // No hydration mismatch, no CSP refusal, no uncaught error.
  expect(problems).toEqual([]);
});

test('the new-session dialog: focus inside, fields of 16 px, Escape closes', async ({ page }) => {
  await openDashboard(page);
  // Other tests' sessions may be listed; the dialog is reachable either way.
  await page.getByRole('button', { name: /new/i }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New session' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Prompt')).toBeFocused();
  // Inputs are 16 px or more, so phones do not zoom on focus.
  const fontSize = await dialog.getByLabel('Prompt').evaluate((element) => getComputedStyle(element).fontSize);
  expect(Number.parseFloat(fontSize)).toBeGreaterThanOrEqual(16);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
