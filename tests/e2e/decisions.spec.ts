import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { card, createFromDialog, openDashboard, uniqueName, visible, test } from './support/dashboard.ts';

// Every kind of decision the fake Claude can ask for, made on the screen it is shown on. The
// question and the plan come from real captures the fake replays (tests/fixtures/claude-stream-json).

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

/** Nothing on the page is wider than the screen: long lines scroll inside their own boxes. */
async function expectNoSidewaysScroll(page: Page) {
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  expect(widths.page).toBeLessThanOrEqual(widths.screen);
}

async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  if (testInfo.project.name === 'desktop') return;
  await page.screenshot({ path: `${SCREENSHOTS}/${testInfo.project.name}-${name}.png` });
}

function sessionView(page: Page) {
  return page.getByRole('region', { name: /^Session / });
}

test('a Bash and an Edit request: the whole command, the diff, one row each that waits, then names who decided', async ({
  page,
}, testInfo) => {
  await openDashboard(page);
  await createFromDialog(page, { name: uniqueName('two requests'), prompt: 'two-permissions' });
  const view = sessionView(page);
  const cards = view.getByTestId('permission-prompt');
  const rows = view.getByTestId('tool-call');
  // Claude Code asks for the tools of one message one after another: Bash first, then the Edit.
  const bash = cards.and(page.locator('[data-tool=Bash]'));
  await expect(bash).toBeVisible();
  await expect(cards).toHaveCount(1);
  await expect(bash.getByTestId('command-text')).toHaveText('echo hello from the fake Claude');
  await expect(bash).toContainText('Print a greeting');
  // One line per request in the transcript: the tool row, waiting; no second permission line.
  await expect(rows.and(page.locator('[data-tool=Bash]')).getByTestId('tool-status')).toHaveText('waiting for approval');
  await expect(view.getByTestId('permission-item')).toHaveCount(0);
  await bash.getByRole('button', { name: 'Deny' }).click();

  const edit = cards.and(page.locator('[data-tool=Edit]'));
  await expect(edit).toBeVisible();
  await expect(edit.getByTestId('edit-path')).toContainText('notes.txt');
  await expect(edit.locator('[data-testid=diff-line][data-kind=remove]')).toContainText(['old']);
  await expect(edit.locator('[data-testid=diff-line][data-kind=add]')).toContainText(['new']);
  await expect(rows.and(page.locator('[data-tool=Edit]')).getByTestId('tool-status')).toHaveText('waiting for approval');
  await expect(view.getByTestId('permission-item')).toHaveCount(0);

  await edit.scrollIntoViewIfNeeded();
  await screenshot(page, testInfo, 'edit-diff');
  await expectNoSidewaysScroll(page);
  await expectNoSeriousViolations(page, 'edit request');

  await edit.getByRole('button', { name: 'Allow', exact: true }).click();
  await expect(cards).toHaveCount(0);
  await expect(rows.and(page.locator('[data-tool=Edit]')).getByTestId('decision')).toHaveText('allowed by you');
  await expect(rows.and(page.locator('[data-tool=Bash]')).getByTestId('decision')).toHaveText('denied by you');
  await expect(view.getByTestId('session-state')).toHaveAttribute('data-state', 'idle');
});

test('AskUserQuestion: the question with its chip and options, answered with the choice', async ({ page }, testInfo) => {
  await openDashboard(page);
  await createFromDialog(page, { name: uniqueName('question'), prompt: 'replay ask-user-question' });
  const view = sessionView(page);
  const question = view.getByTestId('permission-prompt').and(page.locator('[data-kind=question]'));
  await expect(question).toBeVisible();
  await expect(question.getByTestId('question-header')).toHaveText('Indent');
  await expect(question.getByTestId('question')).toContainText('Tabs or spaces?');
  await expect(question.getByTestId('question-option')).toHaveCount(2);
  await expect(question.getByTestId('question-option').nth(1)).toContainText('Indent with space characters');
  await expect(question.getByTestId('send-answers')).toBeDisabled();
  // Worded as what it is: a question waits for an answer, not an approval.
  await expect(view.getByTestId('tool-call').getByTestId('tool-status')).toHaveText('waiting for your answer');
  await expect(view.getByTestId('session-state')).toHaveText(/Question for you/);

  await question.getByText('spaces', { exact: true }).click();
  await screenshot(page, testInfo, 'question');
  await expectNoSidewaysScroll(page);
  await expectNoSeriousViolations(page, 'question');

  const sent = page.waitForRequest((request) => request.method() === 'POST' && request.url().includes('/permissions/'));
  await question.getByTestId('send-answers').click();
  const body = (await sent).postDataJSON() as Record<string, unknown>;
  expect(body).toEqual({ behavior: 'allow', answers: { 'Tabs or spaces?': 'spaces' }, source: 'web' });
  await expect(question).toHaveCount(0);
  await expect(view.getByTestId('tool-call').getByTestId('decision')).toHaveText('allowed by you: spaces');
  // The row of a question stays inside the phone's width, answered or not.
  await expect(view.getByTestId('session-state')).toHaveAttribute('data-state', 'idle', { timeout: 15_000 });
  await expectNoSidewaysScroll(page);
});

test('ExitPlanMode: the plan as Markdown, approved with auto-accepted edits', async ({ page }, testInfo) => {
  await openDashboard(page);
  await createFromDialog(page, { name: uniqueName('plan'), prompt: 'replay plan-mode' });
  const view = sessionView(page);
  const plan = view.getByTestId('permission-prompt').and(page.locator('[data-kind=plan]'));
  await expect(plan).toBeVisible({ timeout: 15_000 });
  await expect(plan.getByTestId('plan').getByRole('heading', { name: 'Add multiply(a, b) to math.js' })).toBeVisible();
  await expect(plan.getByTestId('plan-keep-planning')).toBeDisabled();
  await screenshot(page, testInfo, 'plan');
  await expectNoSidewaysScroll(page);
  await expectNoSeriousViolations(page, 'plan');

  const sent = page.waitForRequest((request) => request.method() === 'POST' && request.url().includes('/permissions/'));
  await plan.getByTestId('plan-accept-edits').click();
  expect((await sent).postDataJSON()).toMatchObject({ behavior: 'allow' });
  await expect(plan).toHaveCount(0);

  // The capture goes on to a Bash call with a long command: it scrolls inside its box.
  const bash = view.getByTestId('permission-prompt').and(page.locator('[data-tool=Bash]'));
  await expect(bash).toBeVisible({ timeout: 15_000 });
  const command = bash.getByTestId('command-text');
  const fits = await command.evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
  if (testInfo.project.name !== 'desktop') expect(fits.scroll).toBeGreaterThan(fits.client);
  await expectNoSidewaysScroll(page);
  await bash.getByRole('button', { name: 'Deny' }).click();
  await expect(view.getByTestId('session-state')).toHaveAttribute('data-state', 'idle', { timeout: 15_000 });
});

test('permission mode: chosen in the New dialog, shown on the card and the header, switched live', async ({
  page,
  scriptApi,
}, testInfo) => {
  await openDashboard(page);
  const name = uniqueName('modes');
  await page.getByRole('button', { name: /new/i }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New session' });
  // This server was started without the opt-in: bypass is not offered at all.
  await expect(dialog.getByTestId('new-mode').locator('option')).toHaveText(['Ask before edits', 'Accept edits', 'Plan mode']);
  await dialog.getByTestId('new-mode').selectOption('plan');
  await dialog.getByLabel(/^Name/).fill(name);
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(visible(page, 'session-title')).toHaveText(name);

  const view = sessionView(page);
  const select = view.getByTestId('mode-select');
  await expect(select).toHaveValue('plan');
  await select.selectOption('acceptEdits');
  await expect(select).toHaveValue('acceptEdits');
  await screenshot(page, testInfo, 'mode-switch');
  await expectNoSidewaysScroll(page);
  await expectNoSeriousViolations(page, 'session header');

  // Changed from the CLI (a script standing in for it): the phone shows it live.
  const sessionId = new URL(page.url()).searchParams.get('session') ?? '';
  const cli = await scriptApi('cli');
  await cli.subscribe(sessionId);
  await cli.setPermissionMode(sessionId, 'plan', 'cli');
  await expect(select).toHaveValue('plan');
  await expect(view.getByTestId('system-note').filter({ hasText: 'Plan mode' }).last()).toBeVisible();

  if (testInfo.project.name !== 'desktop') await page.getByRole('button', { name: 'Back to sessions' }).click();
  await expect(card(page, name).getByTestId('mode-badge')).toHaveText('Plan mode');
});
