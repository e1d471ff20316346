// vibes' service worker: shows push notifications and acts on them (issue 16). It has no fetch
// handler: pages and the API load from the network exactly as without it.
/* global self, fetch, URL, crypto */

// <generated from lib/protocol by scripts/service-worker-routes.ts: do not edit>
const ROUTES = {
  subscribe: { method: 'POST', path: '/api/sessions/:id/subscribe' },
  answerPermission: { method: 'POST', path: '/api/sessions/:id/permissions/:requestId' },
};
const CLIENT_ID_HEADER = 'x-vibes-client-id';
// </generated>

/** A route's path with its `:name` parts filled in, as lib/protocol/route-path.ts does. */
const pathOf = (route, params) => route.path.replace(/:([A-Za-z]+)/g, (_, name) => encodeURIComponent(params[name]));

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let payload = null;
  try {
    payload = event.data ? event.data.json() : null;
  } catch {
    payload = null;
  }
  event.waitUntil(handlePush(payload));
});

async function handlePush(payload) {
  if (!payload || typeof payload.tag !== 'string') return;
  if (payload.type === 'withdraw') {
    // Answered on another device (or in a page): what this phone shows for it is out of date.
    for (const notification of await self.registration.getNotifications({ tag: payload.tag })) notification.close();
    return;
  }
  if (payload.type !== 'show') return;
  await self.registration.showNotification(payload.title, {
    body: payload.body,
    tag: payload.tag,
    // A newer event of the same session replaces the older one, and still tells the user.
    renotify: true,
    icon: '/icon-192.png',
    badge: '/icon-192.png',
    requireInteraction: payload.kind === 'permission',
    data: { url: payload.url, session_id: payload.session_id, request_id: payload.request_id, kind: payload.kind },
    actions: payload.actions
      ? [
          { action: 'allow', title: 'Allow' },
          { action: 'deny', title: 'Deny' },
        ]
      : [],
  });
}

self.addEventListener('notificationclick', (event) => {
  const notification = event.notification;
  const data = notification.data || {};
  notification.close();
  if ((event.action === 'allow' || event.action === 'deny') && data.session_id && data.request_id) {
    event.waitUntil(answer(data, event.action, notification.title));
  } else {
    event.waitUntil(openPage(data.url || '/'));
  }
});

/** Focuses an open vibes page on the session, or opens one. */
async function openPage(path) {
  const target = new URL(path, self.location.origin).href;
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const client of windows) {
    if (new URL(client.url).origin !== self.location.origin) continue;
    try {
      const navigated = client.url === target ? client : await client.navigate(target);
      if (navigated) return navigated.focus();
    } catch {
      // Not controlled by this worker (opened before it was installed): open a new window instead.
    }
  }
  return self.clients.openWindow(target);
}

/**
 * Allow or Deny from the notification: the same API and checks as the page, with this device's
 * cookie (a same-origin fetch from the worker carries it), so the answer is recorded as this
 * device's. The worker acts as a client of its own: it subscribes first, as a page would.
 */
async function answer(data, behavior, title) {
  const headers = { 'content-type': 'application/json', [CLIENT_ID_HEADER]: `notification-${crypto.randomUUID()}` };
  const call = (route, params, body) =>
    fetch(pathOf(route, params), { method: route.method, headers, credentials: 'same-origin', body: JSON.stringify(body) });
  const params = { id: data.session_id, requestId: data.request_id };
  let problem = null;
  try {
    const subscribed = await call(ROUTES.subscribe, params, {});
    const answered = subscribed.ok ? await call(ROUTES.answerPermission, params, { behavior, source: 'web' }) : subscribed;
    if (!answered.ok) {
      const body = await answered.json().catch(() => null);
      problem = (body && body.error && body.error.message) || `The server answered ${answered.status}`;
    }
  } catch {
    problem = 'vibes could not be reached';
  }
  if (problem === null) return;
  // Say so where the user looked, and let a tap open the session to decide there.
  await self.registration.showNotification(title, {
    body: `Not answered: ${problem}`,
    tag: `vibes-session-${data.session_id}`,
    icon: '/icon-192.png',
    badge: '/icon-192.png',
    data: { url: data.url, session_id: data.session_id, request_id: null, kind: 'error' },
  });
}
