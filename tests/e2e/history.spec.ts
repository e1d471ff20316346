import { expect } from '@playwright/test';
import { card, openDashboard, uniqueName, test } from './support/dashboard.ts';

test('an ended session is in the History, opens read-only, and Resume brings it back live', async ({ page, scriptApi }) => {
  await openDashboard(page);
  const api = await scriptApi('historian');
  const name = uniqueName('history');
  const created = await api.createSession({ name, prompt: 'remember this line', source: 'api' });
  await expect.poll(async () => (await api.getSession(created.id)).state, { timeout: 15_000 }).toBe('idle');
  await api.kill(created.id);

  const entry = page.getByTestId('history-card').filter({ has: page.getByTestId('session-name').getByText(name, { exact: true }) });
  await expect(entry).toBeVisible();
  await expect(entry.getByTestId('end-reason')).toContainText('killed');
  await expect(card(page, name)).toHaveCount(0);

  await entry.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`session=${created.id}`));
  const gone = page.locator('[data-testid=session-gone]:visible');
  await expect(gone).toContainText('killed');
  const view = page.getByRole('region', { name: 'Session' });
  await expect(view.getByTestId('user-input').first()).toContainText('remember this line');
  await expect(view.getByTestId('composer')).toHaveCount(0);

  await view.getByTestId('resume').click();
  const live = page.getByRole('region', { name: new RegExp(`^Session ${name}`) });
  await expect(live.getByTestId('owner-badge')).toBeVisible();
  await expect(live.getByTestId('session-state')).toHaveAttribute('data-state', 'idle');
  await expect(live.getByTestId('user-input').first()).toContainText('remember this line');
  await expect(entry).toHaveCount(0);

  await live.getByTestId('composer').fill('and this one');
  await live.getByTestId('composer').press('Enter');
  await expect(live.getByTestId('turn-complete')).toHaveCount(2, { timeout: 15_000 });
  const resumed = await api.getSession(created.id);
  expect(resumed).toMatchObject({ ended_at: null, end_reason: null, claude_session_id: expect.any(String) });
});
