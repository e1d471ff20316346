import { expect, test } from '@playwright/test';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { signIn as signInWithCode, uniqueName, visible } from './support/dashboard.ts';

// Bypass is offered only by a server started with the opt-in, and confirmed every time. This spec
// starts such a server of its own (the fake Claude answers), on the Pixel 7 only.

const SCREENSHOTS = 'test-results/screenshots';
let server: ServerProcess;

test.beforeAll(async () => {
  server = await startServerProcess({ env: { VIBES_ALLOW_BYPASS: '1' } });
});

test.afterAll(async () => {
  await server?.stop();
});

test('bypass: offered by a server that allows it, confirmed each time, shown on the header and the card', async ({ page }) => {
  await signInWithCode(page, server.url, undefined, server.token());
  await expect(visible(page, 'connection').first()).toHaveAttribute('data-status', 'live');
  const name = uniqueName('bypass');
  await page.getByRole('button', { name: /new/i }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New session' });
  await expect(dialog.getByTestId('new-mode').locator('option')).toHaveText([
    'Ask before edits',
    'Accept edits',
    'Plan mode',
    'Bypass permissions',
  ]);
  await dialog.getByLabel(/^Name/).fill(name);
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(visible(page, 'session-title')).toHaveText(name);

  const view = page.getByRole('region', { name: /^Session / });
  const select = view.getByTestId('mode-select');
  await expect(select).toHaveValue('default');
  await select.selectOption('acceptEdits');
  await expect(select).toHaveValue('acceptEdits');

  // Cancelled: the mode stays as it was.
  await select.selectOption('bypassPermissions');
  const confirm = page.getByTestId('bypass-dialog');
  await expect(confirm).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/pixel-7-bypass-confirm.png` });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(select).toHaveValue('acceptEdits');

  // Asked again, and confirmed.
  await select.selectOption('bypassPermissions');
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Bypass permissions' }).click();
  await expect(select).toHaveValue('bypassPermissions');
  await page.screenshot({ path: `${SCREENSHOTS}/pixel-7-bypass-on.png` });

  await page.getByRole('button', { name: 'Back to sessions' }).click();
  const card = page.getByTestId('session-card').filter({ has: page.getByTestId('session-name').getByText(name, { exact: true }) });
  await expect(card.getByTestId('mode-badge')).toHaveText('⚠ Bypass permissions');
});
