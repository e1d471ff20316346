import { expect } from '@playwright/test';
import { card, openDashboard, test, uniqueName } from './support/dashboard.ts';

const SCREENSHOTS = 'test-results/screenshots';

test('a session renamed and pinned from its card is first in every list, a search finds an ended one, and New offers recent folders', async ({
  page,
  scriptApi,
}, testInfo) => {
  await openDashboard(page);
  const api = await scriptApi('owner');
  const first = await api.createSession({ name: uniqueName('first'), source: 'api' });
  const second = await api.createSession({ name: uniqueName('second'), source: 'api' });
  await expect(card(page, second.title)).toBeVisible();

  // Rename the older one from its card.
  const renamed = uniqueName('Release notes');
  await card(page, first.title).getByTestId('organise-button').click();
  const dialog = page.getByRole('dialog', { name: 'Name and pin' });
  await dialog.getByLabel(/^Name/).fill(renamed);
  await dialog.getByRole('button', { name: 'Save name' }).click();
  await expect(dialog).toBeHidden();
  await expect(card(page, renamed)).toBeVisible();

  // Pin it: it moves to the top, marked, for every client (the server keeps it).
  await card(page, renamed).getByTestId('organise-button').click();
  await dialog.getByRole('button', { name: 'Pin to top' }).click();
  await expect(dialog).toBeHidden();
  await expect(card(page, renamed)).toHaveAttribute('data-pinned', 'true');
  await expect(card(page, renamed).getByTestId('pin-mark')).toHaveText('Pinned');
  // The phone joined the session only to change it: it is not left watching it.
  await expect(card(page, renamed).getByTestId('viewer-count')).toHaveCount(0);
  await expect(page.getByTestId('session-card').first().getByTestId('session-name')).toHaveText(renamed);
  expect(await api.getSession(first.id)).toMatchObject({ name: renamed, pinned: true });
  expect((await api.listSessions())[0]?.id).toBe(first.id);
  await page.screenshot({ path: `${SCREENSHOTS}/${testInfo.project.name}-organise-renamed-pinned.png` });

  // A search finds an ended session in the whole history, and narrows the live list.
  const word = uniqueName('needle').replace(' ', '-');
  const ended = await api.createSession({ name: `Old ${word}`, source: 'api' });
  await api.kill(ended.id);
  await page.getByTestId('session-search').fill(word);
  const found = page.getByTestId('history-card').filter({ has: page.getByTestId('session-name').getByText(`Old ${word}`) });
  await expect(found).toBeVisible();
  await expect(page.getByTestId('history-card')).toHaveCount(1);
  await expect(page.getByTestId('filter-summary')).toHaveText('No running sessions and 1 ended one match');
  await expect(card(page, renamed)).toHaveCount(0);
  await page.screenshot({ path: `${SCREENSHOTS}/${testInfo.project.name}-organise-search.png` });

  // The state filter: idle live sessions, and nothing ended matches a running state.
  await page.getByTestId('session-search').fill('');
  await page.getByTestId('state-filter').selectOption('idle');
  await expect(card(page, renamed)).toBeVisible();
  await expect(page.getByTestId('filter-summary')).toContainText('No ended ones match');
  await expect(page.getByTestId('history-card')).toHaveCount(0);
  await page.getByTestId('state-filter').selectOption('');
  await expect(card(page, second.title)).toBeVisible();

  // New session: the folders sessions ran in, one tap fills the working directory.
  await page.getByRole('button', { name: /new/i }).first().click();
  const create = page.getByRole('dialog', { name: 'New session' });
  const recent = create.getByRole('group', { name: 'Recent projects' });
  await expect(recent.getByRole('button').first()).toBeVisible();
  const folder = await recent.getByRole('button').first().getAttribute('title');
  await recent.getByRole('button').first().click();
  await expect(create.getByLabel(/^Working directory/)).toHaveValue(folder ?? '');
  await expect(recent.getByRole('button').first()).toHaveAttribute('aria-pressed', 'true');
  await create.getByRole('button', { name: 'Cancel' }).click();

  await api.kill(first.id);
  await api.kill(second.id);
});
