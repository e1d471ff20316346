import { z } from 'zod';

/** What a device may be told about: a decision Claude waits for, a long turn that ended, a failure. */
export const NotificationKind = z.enum(['permission', 'turn_finished', 'failed']);
export type NotificationKind = z.infer<typeof NotificationKind>;
export const NOTIFICATION_KINDS = NotificationKind.options;

const Base64Url = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+=*$/, 'base64url');

/**
 * A browser's push subscription, as `PushSubscription.toJSON()` gives it. The server POSTs to
 * the endpoint, so it decides which: https:// on a public host, unless its owner allows more.
 */
export const PushEndpoint = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'a push endpoint is an https:// URL');

export const PushSubscriptionBody = z.strictObject({
  endpoint: PushEndpoint,
  keys: z.object({ p256dh: Base64Url(80, 100), auth: Base64Url(16, 32) }),
  /** Which kinds this device gets; all of them when left out. */
  kinds: z
    .array(NotificationKind)
    .max(NOTIFICATION_KINDS.length)
    .default([...NOTIFICATION_KINDS]),
});
export type PushSubscriptionBody = z.infer<typeof PushSubscriptionBody>;

/** A device's push subscription as lists show it: never its endpoint or keys. */
export const PushSubscriptionInfo = z.object({
  kinds: z.array(NotificationKind),
  /** Unix seconds. */
  created_at: z.number().int(),
  /** When a notification was last handed to the push service for it; null before the first. */
  last_used_at: z.number().int().nullable(),
});
export type PushSubscriptionInfo = z.infer<typeof PushSubscriptionInfo>;

/** `GET /api/notifications`: what the dashboard needs to turn push on for this device. */
export const NotificationSettingsResponse = z.object({
  /** The server's VAPID public key (base64url), the `applicationServerKey` to subscribe with. */
  public_key: z.string(),
  /** This device's subscription; null when it has none (or the caller is the token). */
  subscription: PushSubscriptionInfo.nullable(),
  /** True when VIBES_NOTIFY_URL sends every event to a webhook too. */
  webhook: z.boolean(),
  /** "Turn finished" is sent only for turns at least this long. */
  turn_threshold_s: z.number().nonnegative(),
});
export type NotificationSettingsResponse = z.infer<typeof NotificationSettingsResponse>;

export const PushSubscriptionResponse = z.object({ subscription: PushSubscriptionInfo });
export type PushSubscriptionResponse = z.infer<typeof PushSubscriptionResponse>;

export const PushUnsubscribedResponse = z.object({ removed: z.boolean() });
export type PushUnsubscribedResponse = z.infer<typeof PushUnsubscribedResponse>;

/**
 * `POST /api/notifications/test`: how many devices the push service accepted it for, and the
 * webhook. An endpoint the server may not send to counts as not accepted: nothing is sent to it.
 */
export const NotifyTestResponse = z.object({
  devices: z.number().int().nonnegative(),
  webhook: z.boolean(),
});
export type NotifyTestResponse = z.infer<typeof NotifyTestResponse>;

/** `POST /api/notifications/watch`: which session this tab shows, and whether it is visible. */
export const WatchBody = z.strictObject({
  session_id: z.string().max(100).nullable(),
  visible: z.boolean(),
});
export type WatchBody = z.infer<typeof WatchBody>;
export const WatchResponse = z.object({ ok: z.literal(true) });

/**
 * What a push carries to the service worker (and, as JSON, to the webhook). No credential: a
 * tap opens `url`, an action answers through the API with the device's own cookie.
 */
export const NotificationPayload = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('show'),
    kind: z.union([NotificationKind, z.literal('test')]),
    /** One per session: a newer notification replaces the older. */
    tag: z.string(),
    title: z.string(),
    body: z.string(),
    /** Path to open on a tap, e.g. `/?session=ID`. */
    url: z.string(),
    session_id: z.string().nullable(),
    /** For `permission`: the request Allow/Deny answer; null when it is not a plain tool approval. */
    request_id: z.string().nullable(),
    actions: z.boolean(),
  }),
  /** The request was answered elsewhere: close what is shown under this tag. */
  z.object({ type: z.literal('withdraw'), tag: z.string(), session_id: z.string() }),
]);
export type NotificationPayload = z.infer<typeof NotificationPayload>;
