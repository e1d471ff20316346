import { z } from 'zod';
import { PushSubscriptionInfo } from './notifications.ts';
import { isVisibleText } from './text.ts';

/** A signed-in browser, as `GET /api/devices` lists it. Never carries its secret. */
export const DeviceInfo = z.object({
  id: z.string(),
  label: z.string(),
  /** Unix seconds. */
  created_at: z.number().int(),
  last_seen_at: z.number().int(),
  /** The address it was last seen from. */
  address: z.string(),
  /** True for the device that asked. */
  current: z.boolean(),
  /** Its push subscription (issue 16), when notifications are on for it. */
  notifications: PushSubscriptionInfo.nullable(),
  /** Input from it tells Claude the user is on a phone (issue 29); absent from older servers. */
  tell_claude_on_phone: z.boolean().optional(),
});
export type DeviceInfo = z.infer<typeof DeviceInfo>;

/** `POST /api/devices/current/phone`: whether input from the signed-in browser tells Claude it is a phone. */
export const TellClaudeOnPhoneBody = z.strictObject({ on: z.boolean() });
export type TellClaudeOnPhoneBody = z.infer<typeof TellClaudeOnPhoneBody>;

/** The signed-in browser as it is now. */
export const DeviceResponse = z.object({ device: DeviceInfo });
export type DeviceResponse = z.infer<typeof DeviceResponse>;

export const DeviceListResponse = z.object({ devices: z.array(DeviceInfo) });
export type DeviceListResponse = z.infer<typeof DeviceListResponse>;

/** `POST /api/sign-in` with JSON (a form is answered with a redirect and the cookie). */
export const SignInResponse = z.object({ device: DeviceInfo });
export type SignInResponse = z.infer<typeof SignInResponse>;

/** Sign-out and revoking a device: the id of the device signed out. */
export const DeviceRevokedResponse = z.object({ revoked: z.string() });
export type DeviceRevokedResponse = z.infer<typeof DeviceRevokedResponse>;

/** A device id as it appears in URLs. */
export const DeviceId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a device id is 1 to 64 letters, digits, _ or -');

/** `XXXX-XXXX`, Crockford base32; typed by hand, so case and the dash do not matter. */
export const PairingCode = z
  .string()
  .max(32)
  .transform((code) => code.toUpperCase().replace(/[^0-9A-Z]/g, ''))
  .pipe(z.string().regex(/^[0-9A-HJKMNP-TV-Z]{8}$/, 'a pairing code is 8 letters and digits, like ABCD-1234'));

/** The 128-bit key a sign-in link carries beside its code: with it, a sign-in is not throttled. */
export const PairingKey = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'a pairing key is the 22 characters after key= in a sign-in link');

/** The longest label; one made distinct from another ("Pixel (2)") stays within it. */
export const MAX_DEVICE_LABEL = 100;

export const SignInBody = z.strictObject({
  code: PairingCode,
  key: PairingKey.optional(),
  /** What the device is called in the list; the browser's name when left out. */
  label: z
    .string()
    .trim()
    .min(1)
    .max(MAX_DEVICE_LABEL)
    .refine(isVisibleText, 'a label has no control, format or invisible characters (such as U+200B, U+2028, U+FEFF)')
    .optional(),
});
export type SignInBody = z.infer<typeof SignInBody>;

/** `POST /api/pairing`: a one-time code, and the links that carry it. */
export const PairingCodeResponse = z.object({
  code: z.string(),
  /** Unix seconds; after that, or after one use, the code is refused. */
  expires_at: z.number().int(),
  urls: z.array(z.string()),
});
export type PairingCodeResponse = z.infer<typeof PairingCodeResponse>;
