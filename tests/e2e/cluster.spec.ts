import { expect, test } from '@playwright/test';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { startPostgres, startRedis, type Engine } from '../support/engines.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { card, signIn, uniqueName, visible } from './support/dashboard.ts';

// Two vibes nodes of its own on a real Redis and PostgreSQL (loopback, temporary folders), beside
// the suite's shared server: the New dialog on A starts a session on B. Desktop only.

let redis: Engine | undefined;
let postgres: Awaited<ReturnType<typeof startPostgres>> | undefined;
const nodes = new Map<string, ServerProcess>();

const node = (name: string) => nodes.get(name)!;
const api = (name: string) => new ApiClient({ baseUrl: node(name).url, token: node(name).token(), clientId: 'e2e-cluster-check' });

test.beforeAll(async () => {
  test.setTimeout(150_000);
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  const env = {
    VIBES_REDIS_URL: redis.url,
    VIBES_DATABASE_URL: await postgres.newDatabase(),
    VIBES_HEARTBEAT_MS: '250',
    VIBES_NODE_LOST_MS: '2000',
  };
  // The first node puts its token in the database; the second takes it from there.
  nodes.set('a', await startServerProcess({ tokenFile: true, env: { ...env, VIBES_NODE_NAME: 'a' } }));
  nodes.set('b', await startServerProcess({ tokenFile: true, env: { ...env, VIBES_NODE_NAME: 'b' } }));
  await expect
    .poll(async () => (await api('a').listNodes()).nodes.map((listed) => `${listed.name}:${listed.state}`), { timeout: 15_000 })
    .toEqual(['a:up', 'b:up']);
});

test.afterAll(async () => {
  test.setTimeout(60_000);
  await Promise.all([...nodes.values()].map((server) => server.stop()));
  await Promise.all([redis?.stop(), postgres?.stop()]);
});

test('the New dialog on A offers both machines; a session started on B shows B and runs there; a lost machine is not offered', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signIn(page, node('a').url, undefined, node('a').token());
  await expect(visible(page, 'connection').first()).toHaveAttribute('data-status', 'live');

  const name = uniqueName('on b');
  await page.getByRole('button', { name: /new/i }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New session' });
  const machine = dialog.getByTestId('new-node');
  await expect(machine.locator('option')).toHaveText(['a (this one)', 'b']);
  await expect(machine).toHaveValue('a');
  await machine.selectOption('b');
  await page.screenshot({ path: 'test-results/screenshots/desktop-cluster-new-dialog.png' });
  await dialog.getByLabel('Prompt').fill('hello');
  await dialog.getByLabel(/^Name/).fill(name);
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(dialog).toBeHidden();
  await expect(visible(page, 'session-title')).toHaveText(name);
  await expect(visible(page, 'session-header-machine')).toHaveText(' · on b');

  // It runs on B: B counts it among its own, and B's Claude answered the prompt.
  const session = (await api('b').listSessions()).find((listed) => listed.name === name);
  expect(session?.node).toBe('b');
  const self = (await api('b').listNodes()).nodes.find((listed) => listed.self);
  expect(self).toMatchObject({ name: 'b', sessions: 1 });
  await expect
    .poll(
      async () =>
        (await api('b').events(session!.id, { after: 0, limit: 100 })).events.some((entry) => entry.event.type === 'turn_complete'),
      {
        timeout: 20_000,
      },
    )
    .toBe(true);

  // The desktop shows the list beside the session.
  await expect(card(page, name).getByTestId('session-machine')).toHaveText('on b');
  await page.screenshot({ path: 'test-results/screenshots/desktop-cluster-card.png' });

  // B stops answering: its session ends as node_lost, and the dialog offers no machine (only A is up).
  await node('b').stop({ signal: 'SIGKILL' });
  await expect(card(page, name)).toHaveCount(0, { timeout: 15_000 });
  const ended = page.getByTestId('history-card').filter({ has: page.getByTestId('session-name').getByText(name, { exact: true }) });
  await expect(ended.getByTestId('end-reason')).toHaveAttribute('data-reason', 'node_lost');
  await expect(ended.getByTestId('history-machine')).toHaveText('on b');
  await expect.poll(async () => (await api('a').listNodes()).nodes.find((listed) => listed.name === 'b')?.state).toBe('lost');
  await page.getByRole('button', { name: /new/i }).first().click();
  await expect(dialog.getByLabel(/^Name/)).toBeVisible();
  await expect(dialog.getByTestId('new-claude')).toBeVisible();
  await expect(dialog.getByTestId('new-node')).toHaveCount(0);
});
