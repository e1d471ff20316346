import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { test as base, expect, type Browser, type BrowserContextOptions, type Locator, type Page } from '@playwright/test';
import { ApiClient } from '../../../lib/client/node/api-client.ts';
import { TestEventStream } from '../../support/event-stream.ts';
import { pairingCode } from '../../support/sign-in.ts';

export const TOKEN = process.env.VIBES_E2E_TOKEN ?? '';
export const PORT = Number(process.env.VIBES_E2E_PORT);
export const BASE_URL = `http://127.0.0.1:${PORT}`;

/** Prompts for the scenarios the e2e suite plays (the fake Claude's words; see tests/support/scenarios.ts). */
export { SCENARIO } from '../../support/scenarios.ts';
export const NEEDS_PERMISSION = 'run a bash command that needs permission';

/** Unique per test run, so parallel tests never mistake each other's sessions. */
export const uniqueName = (label: string) => `${label} ${randomUUID().slice(0, 6)}`;

/** Signs the browser in the way a person does: a one-time pairing link (as `vibes pair` prints), then Sign in. */
export async function signIn(page: Page, base = '', label?: string, token = TOKEN): Promise<string> {
  // The code comes from the server the page is about to open (a proxy in front of ours passes it on).
  const { code } = await pairingCode(base || BASE_URL, token);
  await page.goto(`${base}/?code=${code}`);
  if (label) await page.getByLabel(/Name this device/).fill(label);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('sign-in')).toBeHidden();
  return code;
}

export async function openDashboard(page: Page, path = '/', base = ''): Promise<void> {
  await signIn(page, base);
  if (path !== '/') await page.goto(`${base}${path}`);
  await expect(page.locator('[data-testid=connection]:visible').first()).toHaveAttribute('data-status', 'live');
}

/**
 * The e2e suite's `test`, with `scriptApi(label)`: a script's view of the API, as a test driver ("the API" or
 * "the CLI" acting beside the browser). The script holds an event stream until the test ends, as an attached
 * CLI does: a script gone for the grace period (3 s here) would take the sessions it started with it, and a
 * loaded machine can take longer than that to open them in the browser.
 */
export const test = base.extend<{ scriptApi: (label?: string) => Promise<ApiClient> }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern.
  scriptApi: async ({}, use) => {
    const streams: TestEventStream[] = [];
    await use(async (label = 'script') => {
      const clientId = `e2e-${label}-${randomUUID().slice(0, 8)}`;
      streams.push(await TestEventStream.open(BASE_URL, { clientId, headers: { Authorization: `Bearer ${TOKEN}` } }));
      return new ApiClient({ baseUrl: BASE_URL, token: TOKEN, clientId });
    });
    for (const stream of streams) stream.close();
  },
});

export const card = (page: Page, name: string): Locator =>
  page.getByTestId('session-card').filter({ has: page.getByTestId('session-name').getByText(name, { exact: true }) });

/**
 * Opens a session from its card's link. A live list re-renders a card when its session changes;
 * a click that lands as the card is replaced is lost, so it is made again until the view opens.
 */
export async function openFromList(page: Page, link: Locator): Promise<void> {
  await expect(async () => {
    if (!/[?&]session=/.test(page.url())) await link.click({ timeout: 5_000 });
    await expect(page).toHaveURL(/[?&]session=/, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

export const visible = (page: Page, testId: string): Locator => page.locator(`[data-testid=${testId}]:visible`);

export async function newDevice(browser: Browser, options: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext(options);
  return context.newPage();
}

/** Creates a session from the dashboard's dialog; the page becomes its owner and shows it. */
export async function createFromDialog(page: Page, fields: { name: string; prompt?: string }): Promise<void> {
  await page.getByRole('button', { name: /new/i }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New session' });
  await expect(dialog).toBeVisible();
  if (fields.prompt) await dialog.getByLabel('Prompt').fill(fields.prompt);
  await dialog.getByLabel(/^Name/).fill(fields.name);
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(dialog).toBeHidden();
  await expect(visible(page, 'session-title')).toHaveText(fields.name);
}

/**
 * A TCP hop between browser and server that can cut the event stream the way a flaky network
 * or a restarted proxy does, and refuse it for a while so the page has to wait and retry.
 */
export class StreamCutter {
  readonly #server: Server;
  readonly #streams = new Set<Socket>();
  readonly #all = new Set<Socket>();
  #refuseUntil = 0;
  port = 0;

  constructor(targetPort: number) {
    this.#server = createServer((client) => {
      const upstream = connect(targetPort, '127.0.0.1');
      this.#all.add(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.#streams.delete(client);
        this.#all.delete(client);
      };
      client.on('data', (chunk: Buffer) => {
        if (chunk.subarray(0, 16).toString('latin1').startsWith('GET /api/events')) {
          if (Date.now() < this.#refuseUntil) return close();
          this.#streams.add(client);
        }
        upstream.write(chunk);
      });
      upstream.pipe(client);
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const address = this.#server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  /** Cuts every open event stream and refuses new ones for `refuseMs`. */
  cut(refuseMs: number): number {
    this.#refuseUntil = Date.now() + refuseMs;
    const count = this.#streams.size;
    for (const socket of this.#streams) socket.destroy();
    this.#streams.clear();
    return count;
  }

  async stop(): Promise<void> {
    for (const socket of this.#all) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
