import type { IncomingMessage, ServerResponse } from 'node:http';
import { VibesError } from '../core/errors.ts';
import { CLIENT_ID_HEADER, ClientId, EmptyBody, PushSubscriptionBody, ROUTES, WatchBody, type RouteName } from '../protocol/index.ts';
import type { Principal } from './auth.ts';
import { answer, parseJson, parseWith, readBody } from './credential-routes.ts';
import { serveCustomRoute } from './http-errors.ts';
import { pushEndpointProblem } from './push-endpoint.ts';
import { pushKeysProblem } from './push-keys.ts';
import type { Runtime } from './runtime.ts';

type NotificationRoute = 'notificationSettings' | 'subscribePush' | 'unsubscribePush' | 'notifyTest' | 'watch';
const BY_PATH = new Map<string, NotificationRoute>([
  [ROUTES.notificationSettings.path, 'notificationSettings'],
  [ROUTES.subscribePush.path, 'subscribePush'],
  [ROUTES.unsubscribePush.path, 'unsubscribePush'],
  [ROUTES.notifyTest.path, 'notifyTest'],
  [ROUTES.watch.path, 'watch'],
]);

/**
 * Push notifications (issue 16): a device's subscription, which page shows what, and a test.
 * Answered by the custom server, which knows the signed-in device; true when it answered.
 */
export function handleNotificationRoute(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  principal: Principal,
  runtime: Runtime,
): boolean {
  const name = BY_PATH.get(url.pathname);
  if (!name) return false;
  return serveCustomRoute(req, res, ROUTES[name].method, url.pathname, () => HANDLERS[name](req, res, principal, runtime));
}

type Handler = (req: IncomingMessage, res: ServerResponse, principal: Principal, runtime: Runtime) => Promise<void>;

const HANDLERS: { [Name in NotificationRoute]: Handler } = {
  async notificationSettings(_req, res, principal, runtime) {
    const own =
      principal.kind === 'device' ? (await runtime.auth.devices.list(principal.deviceId)).find((device) => device.current) : undefined;
    answer(res, 'notificationSettings', {
      public_key: runtime.vapidPublicKey,
      subscription: own?.notifications ?? null,
      webhook: runtime.config.notifyUrl !== undefined,
      turn_threshold_s: runtime.config.notifyTurnSeconds,
    });
  },

  async subscribePush(req, res, principal, runtime) {
    const body = parseWith(PushSubscriptionBody, parseJson(await readBody(req)));
    // Refused here rather than stored and failed on at every notification.
    const endpointProblem = pushEndpointProblem(body.endpoint, runtime.config.pushAllowPrivate);
    if (endpointProblem) {
      const optIn = "the server's owner can allow http:// and private endpoints with VIBES_PUSH_ALLOW_PRIVATE=1";
      throw new VibesError('VALIDATION_FAILED', `Invalid body: endpoint: ${endpointProblem} (${optIn})`);
    }
    const problem = pushKeysProblem(body.keys);
    if (problem) throw new VibesError('VALIDATION_FAILED', `Invalid body: ${problem}`);
    const deviceId = requireDevice(principal, 'turn notifications on');
    const store = runtime.auth.devices.store;
    const previous = await store.pushSubscription(deviceId);
    const sameEndpoint = previous?.endpoint === body.endpoint;
    await store.savePushSubscription({
      deviceId,
      endpoint: body.endpoint,
      p256dh: body.keys.p256dh,
      auth: body.keys.auth,
      kinds: [...new Set(body.kinds)],
      createdAt: sameEndpoint ? previous.createdAt : Math.floor(Date.now() / 1000),
      lastUsedAt: sameEndpoint ? previous.lastUsedAt : null,
    });
    const saved = (await store.pushSubscription(deviceId))!;
    answer(res, 'subscribePush', {
      subscription: { kinds: saved.kinds, created_at: saved.createdAt, last_used_at: saved.lastUsedAt },
    });
  },

  async unsubscribePush(req, res, principal, runtime) {
    parseWith(EmptyBody, parseJson(await readBody(req)));
    const deviceId = requireDevice(principal, 'turn notifications off');
    answer(res, 'unsubscribePush', { removed: await runtime.auth.devices.store.deletePushSubscription(deviceId) });
  },

  async notifyTest(req, res, _principal, runtime) {
    parseWith(EmptyBody, parseJson(await readBody(req)));
    answer(res, 'notifyTest', await runtime.notifier.sendTest());
  },

  async watch(req, res, _principal, runtime) {
    const clientId = clientIdOf(req, 'watch');
    const body = parseWith(WatchBody, parseJson(await readBody(req)));
    runtime.watching.set(clientId, body.session_id, body.visible);
    answer(res, 'watch', { ok: true });
  },
};

function requireDevice(principal: Principal, what: string): string {
  if (principal.kind !== 'device') {
    throw new VibesError('INVALID_STATE', `Only a signed-in browser can ${what}; the token has no device to notify`);
  }
  return principal.deviceId;
}

function clientIdOf(req: IncomingMessage, name: RouteName): string {
  const header = req.headers[CLIENT_ID_HEADER];
  if (typeof header !== 'string') {
    throw new VibesError('MISSING_CLIENT_ID', `Name the calling client in the ${CLIENT_ID_HEADER} header (${ROUTES[name].path})`);
  }
  const parsed = ClientId.safeParse(header);
  if (!parsed.success) throw new VibesError('VALIDATION_FAILED', `Invalid ${CLIENT_ID_HEADER}: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}
