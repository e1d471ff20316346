import { createHmac } from 'node:crypto';
import type { NotificationPayload } from '../../../protocol/index.ts';
import { reasonOf, type Delivery } from './post.ts';

export interface WebhookOptions {
  url: string;
  format: 'json' | 'ntfy';
  /** Where the dashboard is reached from outside: a notification's link is made absolute with it. */
  publicUrl?: string | undefined;
  /** Signs every call (X-Vibes-Signature); a user name and password in `url` go as Basic auth. */
  secret?: string | undefined;
}

/** The webhook's signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const WEBHOOK_SIGNATURE_HEADER = 'X-Vibes-Signature';

/**
 * One URL the owner chose, told every notification: JSON as it is, or ntfy's form (the text as
 * the body; title, priority, click URL and tags as headers).
 */
export function webhookSender(options: WebhookOptions, delivery: Delivery) {
  const { format, publicUrl, secret } = options;
  // ntfy has no way to take a notification back; JSON receivers are told.
  const withdraws = format === 'json';
  const send = async (payload: NotificationPayload): Promise<boolean> => {
    try {
      let request: { headers: Record<string, string>; body: string };
      if (format === 'ntfy') {
        if (payload.type !== 'show') return false;
        request = {
          headers: {
            'Content-Type': 'text/plain; charset=utf-8',
            Title: asciiHeader(payload.title),
            Priority: payload.kind === 'permission' ? 'high' : 'default',
            Tags: payload.kind === 'permission' ? 'warning' : payload.kind === 'failed' ? 'x' : 'white_check_mark',
            ...(publicUrl ? { Click: new URL(payload.url, publicUrl).toString() } : {}),
          },
          body: payload.body,
        };
      } else {
        const click = publicUrl && payload.type === 'show' ? { click_url: new URL(payload.url, publicUrl).toString() } : {};
        request = { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...payload, ...click }) };
      }
      const target = new URL(options.url);
      if (target.username || target.password) {
        const credentials = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
        request.headers.Authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
        target.username = '';
        target.password = '';
      }
      if (secret) request.headers[WEBHOOK_SIGNATURE_HEADER] = webhookSignature(secret, delivery.now(), request.body);
      const { status } = await delivery.post(target.toString(), request);
      if (status >= 200 && status < 300) return true;
      console.error(`vibes: the notification webhook answered ${status}`);
      return false;
    } catch (error) {
      if (!delivery.stopping()) console.error(`vibes: the notification webhook failed: ${redactUrls(reasonOf(error))}`);
      return false;
    }
  };
  return { send, withdraws };
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 over "<t>.<body>">`: the receiver recomputes it with the secret. */
export function webhookSignature(secret: string, unixSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** `https://user:password@host/` -> `https://***:***@host/`, wherever a URL appears in the text. */
export function redactUrls(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***:***@');
}

/** HTTP headers carry Latin-1 at most: what does not fit becomes `?`. */
function asciiHeader(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}
