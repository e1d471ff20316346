import type { DeviceStore, PushSubscriptionRecord } from '../../../core/devices.ts';
import type { NotificationPayload } from '../../../protocol/index.ts';
import { publicOnlyLookup, pushEndpointProblem } from '../../push-endpoint.ts';
import { pushKeysProblem } from '../../push-keys.ts';
import type { VapidKeys } from '../../vapid.ts';
import { reasonOf, type Delivery } from './post.ts';

export interface WebPushOptions {
  devices: DeviceStore;
  vapid: VapidKeys;
  /** `mailto:` or `https:`: who runs this server, as push services want to know. */
  vapidSubject: string;
  /** The owner lets devices register http:// and private or loopback endpoints (VIBES_PUSH_ALLOW_PRIVATE). */
  allowPrivatePush?: boolean;
}

/**
 * Web Push to one device's subscription, encrypted for its browser and signed with the server's
 * VAPID keys. True when the push service took it; a 404 or 410 means the browser dropped it: forget it.
 */
export function webPushSender(options: WebPushOptions, delivery: Delivery) {
  const { devices, vapid, vapidSubject } = options;
  const allowPrivate = options.allowPrivatePush === true;
  return async (subscription: PushSubscriptionRecord, payload: NotificationPayload): Promise<boolean> => {
    const problem = pushKeysProblem(subscription);
    if (problem) {
      // Stored before subscribing checked the keys: every push would fail the same way.
      await devices.deletePushSubscriptionByEndpoint(subscription.endpoint);
      console.error(`vibes: dropped a push subscription no message can be encrypted for (${problem})`);
      return false;
    }
    // Registration refuses these; one stored before that rule, or before the owner's opt-in was removed, is not sent.
    const refused = pushEndpointProblem(subscription.endpoint, allowPrivate);
    if (refused) {
      console.error(`vibes: did not send a push to a device: ${refused}`);
      return false;
    }
    try {
      // Loaded with the first push, not before the server listens (it brings its crypto libraries).
      const { default: webPush } = await import('web-push');
      const details = webPush.generateRequestDetails(
        { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        JSON.stringify(payload),
        {
          vapidDetails: { subject: vapidSubject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
          contentEncoding: 'aes128gcm',
          // A decision is worth waking the phone for; a withdrawal that arrives late is pointless.
          TTL: payload.type === 'withdraw' ? 600 : 24 * 3600,
          urgency: payload.type === 'show' && payload.kind === 'permission' ? 'high' : 'normal',
        },
      );
      const headers = Object.fromEntries(Object.entries(details.headers).map(([name, value]) => [name, String(value)]));
      const { status } = await delivery.post(details.endpoint, {
        headers,
        body: details.body ?? '',
        ...(allowPrivate ? {} : { lookup: publicOnlyLookup }),
      });
      if (status === 404 || status === 410) {
        await devices.deletePushSubscriptionByEndpoint(subscription.endpoint);
        return false;
      }
      if (status >= 200 && status < 300) {
        await devices.touchPushSubscription(subscription.deviceId, delivery.now());
        return true;
      }
      console.error(`vibes: the push service answered ${status} for a device's notification`);
      return false;
    } catch (error) {
      if (!delivery.stopping()) console.error(`vibes: sending a push notification failed: ${reasonOf(error)}`);
      return false;
    }
  };
}
