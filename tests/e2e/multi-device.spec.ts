import { devices, expect, test } from '@playwright/test';
import {
  card,
  createFromDialog,
  NEEDS_PERMISSION,
  newDevice,
  openDashboard,
  openFromList,
  uniqueName,
  visible,
} from './support/dashboard.ts';

// Two devices in one test: a desktop and a phone watching the same sessions at once.

test('approve on the phone, watch on the desktop; input and kill reach both', async ({ browser }) => {
  const desktop = await newDevice(browser, { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 } });
  const phone = await newDevice(browser, { ...devices['Pixel 7'] });
  await openDashboard(desktop);
  await openDashboard(phone);

  const name = uniqueName('two devices');
  await createFromDialog(desktop, { name, prompt: NEEDS_PERMISSION });
  const desktopView = desktop.getByRole('region', { name: /^Session / });
  await expect(desktopView.getByTestId('session-state')).toHaveAttribute('data-state', 'waiting_permission');

  // The phone opens it from the list and approves there.
  await openFromList(phone, card(phone, name).getByRole('link'));
  const phoneView = phone.getByRole('region', { name: /^Session / });
  await phoneView.getByTestId('permission-prompt').getByRole('button', { name: 'Allow', exact: true }).click();

  // The desktop sees the turn go on: the tool's result, the reply, the turn's end.
  await expect(desktopView.getByTestId('session-state')).toHaveAttribute('data-state', 'idle');
  await expect(desktopView.getByTestId('tool-call').getByTestId('tool-status')).toHaveText('done');
  await expect(desktopView.getByTestId('turn-complete')).toHaveCount(1);
  // One place per request: the tool row carries the decision, named for the device that made it.
  await expect(desktopView.getByTestId('tool-call').getByTestId('decision')).toHaveText(/^allowed on Chrome on Android( \(\d+\))?$/);
  await expect(phoneView.getByTestId('tool-call').getByTestId('decision')).toHaveText('allowed by you');
  await expect(desktopView.getByTestId('permission-item')).toHaveCount(0);

  // Typed on the desktop, shown on the phone, marked as web input.
  await desktopView.getByTestId('composer').fill('hello from the desktop');
  await desktopView.getByTestId('composer').press('Enter');
  await expect(phoneView.getByTestId('user-input').filter({ hasText: 'hello from the desktop' })).toContainText('web');
  await expect(desktopView.getByTestId('composer')).toHaveValue('');

  // Kill from the phone through the confirming dialog: gone on both, with the reason.
  await phoneView.getByRole('button', { name: 'More actions' }).click();
  await phoneView.getByRole('menuitem', { name: 'Kill session…' }).click();
  const dialog = phone.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Kill session' }).click();
  await expect(visible(phone, 'session-gone')).toContainText('killed');
  await expect(visible(desktop, 'session-gone')).toContainText('killed');
  await expect(card(desktop, name)).toHaveCount(0);
  await expect(card(phone, name)).toHaveCount(0);

  await desktop.context().close();
  await phone.context().close();
});

test('when the owner leaves, ownership passes to the phone and the badge moves', async ({ browser }) => {
  const desktop = await newDevice(browser, { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 } });
  const phone = await newDevice(browser, { ...devices['iPhone 13'], browserName: 'chromium' } as Parameters<typeof newDevice>[1]);
  await openDashboard(desktop);
  await openDashboard(phone);

  const name = uniqueName('handover');
  await createFromDialog(desktop, { name });
  await expect(card(desktop, name).getByTestId('owner-badge')).toBeVisible();

  await openFromList(phone, card(phone, name).getByRole('link'));
  const phoneView = phone.getByRole('region', { name: /^Session / });
  await expect(phoneView.getByTestId('viewer-count')).toContainText('2 viewers');
  await expect(phoneView.getByTestId('owner-badge')).toHaveCount(0);

  // The desktop tab goes away for good (the e2e server's grace period is 3 s).
  await desktop.context().close();
  await expect(phoneView.getByTestId('owner-badge')).toBeVisible({ timeout: 15_000 });
  await phoneView.getByRole('button', { name: 'Back to sessions' }).click();
  await expect(card(phone, name).getByTestId('owner-badge')).toBeVisible();

  await phone.context().close();
});
