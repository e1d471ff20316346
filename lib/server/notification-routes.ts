import { VibesError } from '../core/errors.ts';
import { pushEndpointProblem } from './push-endpoint.ts';
import { pushKeysProblem } from './push-keys.ts';
import { route } from './route.ts';

/** Push notifications (issue 16): a device's subscription, which page shows what, and a test. */
export const notificationRoutes = {
  notificationSettings: route('notificationSettings', async ({ runtime, principal }) => {
    const own =
      principal.kind === 'device' ? (await runtime.auth.devices.list(principal.deviceId)).find((device) => device.current) : undefined;
    return {
      public_key: runtime.vapidPublicKey,
      subscription: own?.notifications ?? null,
      webhook: runtime.config.notifyUrl !== undefined,
      turn_threshold_s: runtime.config.notifyTurnSeconds,
    };
  }),

  /** Only a signed-in browser: the token has no device to notify. */
  subscribePush: route('subscribePush', async ({ runtime, principal, body }) => {
    // Refused here rather than stored and failed on at every notification.
    const endpointProblem = pushEndpointProblem(body.endpoint, runtime.config.pushAllowPrivate);
    if (endpointProblem) {
      const optIn = "the server's owner can allow http:// and private endpoints with VIBES_PUSH_ALLOW_PRIVATE=1";
      throw new VibesError('VALIDATION_FAILED', `Invalid body: endpoint: ${endpointProblem} (${optIn})`);
    }
    const problem = pushKeysProblem(body.keys);
    if (problem) throw new VibesError('VALIDATION_FAILED', `Invalid body: ${problem}`);
    const store = runtime.auth.devices.store;
    const previous = await store.pushSubscription(principal.deviceId);
    const sameEndpoint = previous?.endpoint === body.endpoint;
    await store.savePushSubscription({
      deviceId: principal.deviceId,
      endpoint: body.endpoint,
      p256dh: body.keys.p256dh,
      auth: body.keys.auth,
      kinds: [...new Set(body.kinds)],
      createdAt: sameEndpoint ? previous.createdAt : Math.floor(Date.now() / 1000),
      lastUsedAt: sameEndpoint ? previous.lastUsedAt : null,
    });
    return { subscription: (await runtime.auth.devices.pushInfo(principal.deviceId))! };
  }),

  unsubscribePush: route('unsubscribePush', async ({ runtime, principal }) => ({
    removed: await runtime.auth.devices.store.deletePushSubscription(principal.deviceId),
  })),

  notifyTest: route('notifyTest', ({ runtime }) => runtime.notifier.sendTest()),

  watch: route('watch', ({ runtime, clientId, body }) => {
    runtime.watching.set(clientId, body.session_id, body.visible);
    return { ok: true };
  }),
};
