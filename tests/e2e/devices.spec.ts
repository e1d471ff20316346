import { devices, expect, test } from '@playwright/test';
import { pairingCode } from '../support/sign-in.ts';
import { BASE_URL, newDevice, openDashboard, TOKEN, uniqueName } from './support/dashboard.ts';

test('a phone pairs with a one-time code, the desktop lists it and revokes it, and the phone is signed out', async ({
  page: desktop,
  browser,
}) => {
  await openDashboard(desktop);
  const phoneName = uniqueName('Test phone');

  // The phone opens the link `vibes pair` prints (its QR code), names itself and signs in.
  const phone = await newDevice(browser, { ...devices['Pixel 7'] });
  const { code } = await pairingCode(BASE_URL, TOKEN);
  await phone.goto(`/?code=${code}`);
  await expect(phone.getByLabel('Pairing code')).toHaveValue(code);
  await phone.getByLabel(/Name this device/).fill(phoneName);
  await phone.getByRole('button', { name: 'Sign in' }).click();
  await expect(phone.locator('[data-testid=connection]:visible').first()).toHaveAttribute('data-status', 'live');
  expect(phone.url()).not.toContain(code);

  // The same code a second time signs nobody in.
  const stranger = await newDevice(browser, { ...devices['Pixel 7'] });
  await stranger.goto(`/?code=${code}`);
  await stranger.getByRole('button', { name: 'Sign in' }).click();
  await expect(stranger.getByRole('alert')).toHaveText(/That pairing code is wrong, used or expired/);
  await expect(stranger.getByTestId('sign-in')).toBeVisible();

  // The desktop sees both devices, itself marked, and revokes the phone.
  await desktop.getByRole('button', { name: 'Devices' }).first().click();
  const dialog = desktop.getByRole('dialog', { name: 'Signed-in devices' });
  const phoneRow = dialog.getByTestId('device').filter({ hasText: phoneName });
  await expect(phoneRow).toBeVisible();
  await expect(phoneRow.getByTestId('this-device')).toHaveCount(0);
  await expect(dialog.getByTestId('device').filter({ has: desktop.getByTestId('this-device') })).toHaveCount(1);
  await phoneRow.getByRole('button', { name: 'Revoke' }).click();
  await expect(phoneRow).toHaveCount(0);

  // The phone's page learns at once: its stream was closed and the server no longer knows it.
  await expect(phone.getByTestId('signed-out')).toBeVisible();
  await phone.reload();
  await expect(phone.getByTestId('sign-in')).toBeVisible();

  await phone.context().close();
  await stranger.context().close();
});
