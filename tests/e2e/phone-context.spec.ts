import { expect, test } from '@playwright/test';
import { createFromDialog, openDashboard, uniqueName, visible } from './support/dashboard.ts';

const SCREENSHOTS = 'test-results/screenshots';

// Issue 29: the phone asks that Claude be told it is a phone; the session view says so, and the
// demo's fake Claude says back the context it was given beside the prompt.
test('a phone turns on "Tell Claude I’m on my phone" and its session view says Claude knows', async ({ page }, testInfo) => {
  await openDashboard(page);
  await page.getByRole('button', { name: 'Devices' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Signed-in devices' });
  const setting = dialog.getByRole('checkbox', { name: /Tell Claude I’m on my phone/ });
  await expect(setting).not.toBeChecked();
  await setting.check();
  await expect(setting).toBeChecked();
  await page.screenshot({ path: `${SCREENSHOTS}/${testInfo.project.name}-phone-context-setting.png` });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  const name = uniqueName('Phone context');
  await createFromDialog(page, { name, prompt: 'hello from the bus' });
  await expect(visible(page, 'phone-context-on')).toHaveText('Claude knows you’re on your phone');
  await expect(
    visible(page, 'assistant-text').getByText(/Told beside your prompt: The user is reading and typing on a phone/),
  ).toBeVisible();
  // What the user typed is shown as typed.
  await expect(visible(page, 'user-input').getByText('hello from the bus', { exact: true })).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/${testInfo.project.name}-phone-context-on.png` });

  // Off again (from the list, where the Devices button is on a phone): the session view no longer says so.
  const sessionUrl = page.url();
  await page.goto('/');
  await page.getByRole('button', { name: 'Devices' }).first().click();
  await dialog.getByRole('checkbox', { name: /Tell Claude I’m on my phone/ }).uncheck();
  await expect(dialog.getByRole('checkbox', { name: /Tell Claude I’m on my phone/ })).not.toBeChecked();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.goto(sessionUrl);
  await expect(visible(page, 'session-title')).toHaveText(name);
  await expect(visible(page, 'phone-context-on')).toHaveCount(0);
});
