import { expect, type CDPSession, type Page } from '@playwright/test';
import { BASE_URL, NEEDS_PERMISSION, openDashboard, uniqueName, test } from './support/dashboard.ts';
import type { ApiClient } from '../../lib/client/node/api-client.ts';
import { BrowserPushKeys } from '../support/push-service.ts';

const SCREENSHOTS = 'test-results/screenshots';

// Headless Chromium offline has no push service to subscribe with, so the page's
// PushManager.subscribe hands back a subscription whose endpoint is a closed loopback port
// (the server's pushes to it are refused); pushes reach the service worker through the
// DevTools protocol instead, exactly as a push service would deliver them.
test.use({ permissions: ['notifications'] });

test.beforeEach(async ({ page }) => {
  // Real keys (the server refuses keys no message could be encrypted for); nobody decrypts here.
  const subscription = new BrowserPushKeys().subscription('http://127.0.0.1:9/push/e2e');
  await page.addInitScript((json) => {
    let current: PushSubscription | null = null;
    const fake = {
      endpoint: json.endpoint,
      options: { applicationServerKey: null, userVisibleOnly: true },
      toJSON: () => json,
      unsubscribe: async () => {
        current = null;
        return true;
      },
    } as unknown as PushSubscription;
    PushManager.prototype.subscribe = async () => (current = fake);
    PushManager.prototype.getSubscription = async () => current;
  }, subscription);
});

/** The service worker's registration id, as the DevTools protocol names it. */
async function registrationId(cdp: CDPSession): Promise<string> {
  let id: string | undefined;
  cdp.on('ServiceWorker.workerRegistrationUpdated', (event) => {
    for (const registration of event.registrations) {
      if (registration.scopeURL === `${BASE_URL}/` && !registration.isDeleted) id = registration.registrationId;
    }
  });
  await cdp.send('ServiceWorker.enable');
  await expect.poll(() => id).toBeDefined();
  return id!;
}

async function shownNotifications(page: Page) {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map((notification) => ({
      title: notification.title,
      body: notification.body,
      tag: notification.tag,
      actions: (notification as Notification & { actions?: { action: string }[] }).actions?.map((action) => action.action) ?? [],
    }));
  });
}

/** Dispatches a notificationclick in the worker (headless Chromium cannot click a notification). */
async function clickNotification(page: Page, tag: string, action = '') {
  const worker = page.context().serviceWorkers()[0] ?? (await page.context().waitForEvent('serviceworker'));
  await worker.evaluate(
    async ({ tag, action }) => {
      // The worker's own types (lib "webworker") are not in this project's tsconfig.
      const scope = self as unknown as Window & { registration: ServiceWorkerRegistration };
      const [notification] = await scope.registration.getNotifications({ tag });
      if (!notification) throw new Error(`no notification with tag ${tag}`);
      const NotificationEvent = (scope as unknown as Record<string, new (type: string, init: object) => Event>).NotificationEvent!;
      scope.dispatchEvent(new NotificationEvent('notificationclick', { notification, action }));
    },
    { tag, action },
  );
}

/**
 * The tab title counts every session that waits for approval, other specs' too (they share the
 * server and run alongside): it is compared with the count the API gives at that moment.
 */
async function expectTitleToCountWaiting(page: Page, api: ApiClient): Promise<string> {
  const expected = async () => {
    const waiting = (await api.listSessions()).filter((session) => session.pending_permissions.length > 0).length;
    return waiting > 0 ? `(${waiting}) vibes` : 'vibes';
  };
  let title = '';
  await expect.poll(async () => (title = await page.title()) === (await expected())).toBe(true);
  return title;
}

test('notifications: turned on in the devices panel; a push is shown; a tap opens the session; Allow answers it', async ({
  page,
  scriptApi,
}) => {
  await openDashboard(page);
  const api = await scriptApi('notify');
  await expectTitleToCountWaiting(page, api);

  // The switch asks for nothing until it is turned on.
  await page.getByRole('button', { name: 'Devices' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Signed-in devices' });
  const toggle = dialog.getByRole('switch', { name: 'Notifications on this device' });
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await page.screenshot({ path: `${SCREENSHOTS}/pixel-7-notifications-off.png` });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  const mine = dialog.getByTestId('device').filter({ has: page.getByTestId('this-device') });
  await expect(mine.getByTestId('device-notifications')).toContainText('Notifications: Approval requests, Turn finished, Session failed');
  await page.screenshot({ path: `${SCREENSHOTS}/pixel-7-notifications-on.png` });
  // Each kind is a choice of its own.
  // The box follows the server's answer, so it is clicked rather than unchecked in place.
  await dialog.getByRole('checkbox', { name: 'Turn finished' }).click();
  await expect(dialog.getByRole('checkbox', { name: 'Turn finished' })).not.toBeChecked();
  await expect(mine.getByTestId('device-notifications')).toContainText('Notifications: Approval requests, Session failed');
  await dialog.getByRole('button', { name: 'Close' }).click();

  const cdp = await page.context().newCDPSession(page);
  const registration = await registrationId(cdp);
  // The page is controlled by the worker (it claims open pages), so a tap can navigate it.
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  // A session of another client waits for approval: the tab title says so.
  const name = uniqueName('notified');
  const session = await api.createSession({ prompt: NEEDS_PERMISSION, name });
  await expect.poll(async () => (await api.getSession(session.id)).pending_permissions.length).toBe(1);
  expect(await expectTitleToCountWaiting(page, api)).toMatch(/^\(\d+\) vibes$/);
  const request = (await api.getSession(session.id)).pending_permissions[0]!;
  const tag = `vibes-session-${session.id}`;
  const show = (requestId: string | null, shownTag = tag) =>
    JSON.stringify({
      type: 'show',
      kind: 'permission',
      tag: shownTag,
      title: `${name}: allow Bash?`,
      body: 'touch notified.txt',
      url: `/?session=${session.id}`,
      session_id: session.id,
      request_id: requestId,
      actions: requestId !== null,
    });

  // Each push is delivered again until the worker has shown what it should: headless Chromium at
  // times loses a push delivered through the DevTools protocol, or a notification shown within a
  // second of closing one (2 runs in 14 with one tag for every step; with tags of their own, the
  // first push of the test once in a CI run and once in a local one). A push service, too, may
  // deliver a message twice: every step here means the same after a second delivery.
  type Shown = Awaited<ReturnType<typeof shownNotifications>>;
  const deliverUntil = <T>(data: string, expected: T, view: (shown: Shown) => T) =>
    expect(async () => {
      await cdp.send('ServiceWorker.deliverPushMessage', { origin: BASE_URL, registrationId: registration, data });
      await expect.poll(async () => view(await shownNotifications(page)), { timeout: 3_000 }).toEqual(expected);
    }).toPass({ timeout: 20_000 });

  // Shown, with Allow and Deny.
  await deliverUntil(
    show(request.request_id),
    [{ title: `${name}: allow Bash?`, body: 'touch notified.txt', tag, actions: ['allow', 'deny'] }],
    (shown) => shown,
  );
  // A newer one for the same session replaces it (one per session); a withdrawal closes it.
  await deliverUntil(show(null), [[]], (shown) => shown.map((notification) => notification.actions));
  await deliverUntil(JSON.stringify({ type: 'withdraw', tag, session_id: session.id }), [], (shown) => shown);

  // A tap opens that session in the page. This step and the next show their notification under a tag of their own.
  const deliverUntilShown = (data: string, shownTag: string) =>
    deliverUntil(data, [shownTag], (shown) => shown.map((notification) => notification.tag));
  const tapTag = `${tag}-tap`;
  await deliverUntilShown(show(request.request_id, tapTag), tapTag);
  await clickNotification(page, tapTag);
  await expect(page).toHaveURL(`${BASE_URL}/?session=${session.id}`);
  await expect(page.locator('[data-testid=session-title]:visible')).toHaveText(name);

  // Allow from the notification answers through the API with this device's cookie, recorded as this device.
  const allowTag = `${tag}-allow`;
  await deliverUntilShown(show(request.request_id, allowTag), allowTag);
  await clickNotification(page, allowTag, 'allow');
  await expect.poll(async () => (await api.getSession(session.id)).pending_permissions.length).toBe(0);
  const { events } = await api.events(session.id, { limit: 200 });
  const resolved = events.map((entry) => entry.event).find((event) => event.type === 'permission_resolved');
  // Every e2e sign-in comes from the same browser: labels after the first are numbered.
  expect(resolved).toMatchObject({ behavior: 'allow', source: 'web', device: expect.stringMatching(/^Chrome on Android( \(\d+\))?$/) });
  expect(resolved?.type === 'permission_resolved' && resolved.client_id).toMatch(/^notification-/);
  await expectTitleToCountWaiting(page, api);
  await expect(page.locator('[data-testid=decision]:visible')).toHaveText(/^allowed on Chrome on Android( \(\d+\))?$/);
  await api.kill(session.id);
});
