import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Bus, CoreEvent, SessionSnapshot } from '../core/index.ts';
import type { DeviceStore, PushSubscriptionRecord } from '../core/devices.ts';
import type { NotificationKind, NotificationPayload, PermissionRequestEvent, SessionState } from '../protocol/index.ts';
import { decisionSummary } from '../protocol/index.ts';
import { firstLine } from '../protocol/text.ts';
import type { VapidKeys } from './vapid.ts';
import { pushKeysProblem } from './push-keys.ts';
import { publicOnlyLookup, pushEndpointProblem } from './push-endpoint.ts';
import type { z } from 'zod';

type ShowPayload = Extract<NotificationPayload, { type: 'show' }>;
type PermissionRequest = z.infer<typeof PermissionRequestEvent>;

export interface NotifierOptions {
  bus: Bus<CoreEvent>;
  devices: DeviceStore;
  vapid: VapidKeys;
  /** `mailto:` or `https:`: who runs this server, as push services want to know. */
  vapidSubject: string;
  /** "Turn finished" only for turns at least this long. */
  turnThresholdMs: number;
  /** True while some open page shows this session and is visible: it needs no notification. */
  isWatched: (sessionId: string) => boolean;
  /** The owner lets devices register http:// and private or loopback endpoints (VIBES_PUSH_ALLOW_PRIVATE). */
  allowPrivatePush?: boolean;
  /** `secret` signs every call (X-Vibes-Signature); a user name and password in `url` go as Basic auth. */
  webhook?: { url: string; format: 'json' | 'ntfy'; publicUrl?: string | undefined; secret?: string | undefined };
  /** Unix seconds; for tests. */
  clock?: () => number;
  /** How long one push or webhook call may take; shutdown aborts it sooner. */
  sendTimeoutMs?: number;
  /** Posts one request; node:http(s) by default. */
  post?: (url: string, init: PostInit) => Promise<{ status: number }>;
}

interface PostInit {
  headers: Record<string, string>;
  body: Buffer | string;
  signal?: AbortSignal;
  /** Checks the addresses a push endpoint's name resolves to. */
  lookup?: LookupFunction;
}

/** The webhook's signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const WEBHOOK_SIGNATURE_HEADER = 'X-Vibes-Signature';

const TITLE_MAX = 80;
const BODY_MAX = 180;
const SEND_TIMEOUT_MS = 10_000;

/**
 * Tells devices (Web Push) and an optional webhook what needs the user: a decision Claude waits
 * for, a long turn that ended, a session that failed. One notification per session (its tag), so
 * a newer one replaces the older; an answered request is withdrawn. Nothing for a session some
 * visible page is showing, and nothing that could sign anybody in: no token, no cookie.
 */
export class Notifier {
  readonly #options: NotifierOptions;
  readonly #states = new Map<string, SessionState>();
  readonly #names = new Map<string, string>();
  /** The last reply text of the running turn, per session: its first line is what "finished" says. */
  readonly #lastText = new Map<string, string>();
  /** Which request each session's notification shows, and on which devices. */
  /** `deviceIds`: the devices the request was pushed to, known once the subscriptions are read. */
  readonly #shown = new Map<string, { requestId: string; deviceIds: Promise<string[]>; webhook: boolean }>();
  readonly #sending = new Set<Promise<unknown>>();
  /** Aborted at shutdown: a push service that never answers must not hold the server up. */
  readonly #stopping = new AbortController();
  #unsubscribe: (() => void) | null = null;

  constructor(options: NotifierOptions) {
    this.#options = options;
  }

  start(): void {
    this.#unsubscribe ??= this.#options.bus.subscribe((entry) => this.#onEvent(entry.event));
  }

  /** No more notifications; calls still on their way are aborted. */
  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#stopping.abort(new Error('the server is shutting down'));
  }

  /** Resolves when every push and webhook call started so far has ended (for tests and shutdown). */
  async settled(): Promise<void> {
    while (this.#sending.size > 0) await Promise.allSettled([...this.#sending]);
  }

  /** `vibes notify test`: to every subscribed device and the webhook, whatever they chose. */
  async sendTest(): Promise<{ devices: number; webhook: boolean }> {
    const payload: ShowPayload = {
      type: 'show',
      kind: 'test',
      tag: 'vibes-test',
      title: 'vibes',
      body: 'Notifications work on this device.',
      url: '/',
      session_id: null,
      request_id: null,
      actions: false,
    };
    const subscriptions = await this.#options.devices.listPushSubscriptions();
    const results = await Promise.all(subscriptions.map((subscription) => this.#push(subscription, payload)));
    const webhook = this.#options.webhook ? await this.#webhook(payload) : false;
    return { devices: results.filter(Boolean).length, webhook };
  }

  #onEvent(event: CoreEvent): void {
    switch (event.type) {
      case 'session_updated':
        return this.#onSession(event.session);
      case 'session_removed':
        this.#forget(event.session_id);
        return;
      case 'session_event': {
        const transcript = event.entry.event;
        if (transcript.type === 'text' && !transcript.parent_tool_use_id) this.#lastText.set(event.session_id, transcript.text);
        else if (transcript.type === 'permission_request') this.#onRequest(event.session_id, transcript);
        else if (transcript.type === 'permission_resolved') this.#onResolved(event.session_id, transcript.request_id);
        else if (transcript.type === 'turn_complete') {
          const reply = this.#lastText.get(event.session_id) ?? transcript.result ?? '';
          this.#lastText.delete(event.session_id);
          if (!transcript.is_error && transcript.duration_ms >= this.#options.turnThresholdMs) {
            this.#notify('turn_finished', event.session_id, {
              title: `Done: ${this.#name(event.session_id)}`,
              body: firstLine(reply) || `Claude finished after ${Math.round(transcript.duration_ms / 1000)} s`,
            });
          }
        }
        return;
      }
      default:
        return;
    }
  }

  #onSession(session: SessionSnapshot): void {
    this.#names.set(session.id, session.name ?? `Session ${session.id.slice(0, 8)}`);
    const before = this.#states.get(session.id);
    this.#states.set(session.id, session.state);
    // Ended sessions come back as failed from the history; only a live failure is news.
    if (session.state === 'failed' && before !== undefined && before !== 'failed' && session.ended_at === null) {
      this.#notify('failed', session.id, {
        title: `Failed: ${this.#name(session.id)}`,
        body: firstLine(session.failure ?? '') || 'Claude stopped with an error',
      });
    }
  }

  #onRequest(sessionId: string, request: PermissionRequest): void {
    const plainTool = request.kind === 'tool';
    this.#notify(
      'permission',
      sessionId,
      { title: `${this.#name(sessionId)}: ${verb(request)}`, body: decisionSummary(request) },
      { requestId: request.request_id, actions: plainTool },
    );
  }

  #onResolved(sessionId: string, requestId: string): void {
    const shown = this.#shown.get(sessionId);
    if (!shown || shown.requestId !== requestId) return;
    this.#shown.delete(sessionId);
    const payload: NotificationPayload = { type: 'withdraw', tag: tagOf(sessionId), session_id: sessionId };
    this.#track(shown.deviceIds.then((deviceIds) => this.#pushTo((found) => deviceIds.includes(found.deviceId), payload)));
    if (shown.webhook && this.#options.webhook?.format === 'json') this.#track(this.#webhook(payload));
  }

  #notify(
    kind: NotificationKind,
    sessionId: string,
    text: { title: string; body: string },
    request: { requestId: string; actions: boolean } | null = null,
  ): void {
    if (this.#options.isWatched(sessionId)) return;
    const payload: ShowPayload = {
      type: 'show',
      kind,
      tag: tagOf(sessionId),
      title: clip(text.title, TITLE_MAX),
      body: clip(text.body, BODY_MAX),
      url: `/?session=${encodeURIComponent(sessionId)}`,
      session_id: sessionId,
      request_id: request?.requestId ?? null,
      actions: request?.actions ?? false,
    };
    const deviceIds = this.#pushTo((found) => found.kinds.includes(kind), payload);
    this.#track(deviceIds);
    const webhook = this.#options.webhook !== undefined;
    if (webhook) this.#track(this.#webhook(payload));
    if (request) this.#shown.set(sessionId, { requestId: request.requestId, deviceIds, webhook });
    else this.#shown.delete(sessionId);
  }

  /** Pushes to every subscription `which` picks; the devices it went to. */
  async #pushTo(which: (found: PushSubscriptionRecord) => boolean, payload: NotificationPayload): Promise<string[]> {
    let subscriptions: PushSubscriptionRecord[];
    try {
      subscriptions = (await this.#options.devices.listPushSubscriptions()).filter(which);
    } catch (error) {
      console.error(`vibes: reading the push subscriptions failed: ${reasonOf(error)}`);
      return [];
    }
    for (const subscription of subscriptions) this.#track(this.#push(subscription, payload));
    return subscriptions.map((found) => found.deviceId);
  }

  /** True when the push service took it; a 404 or 410 means the browser dropped it: forget it. */
  async #push(subscription: PushSubscriptionRecord, payload: NotificationPayload): Promise<boolean> {
    const { vapid, vapidSubject } = this.#options;
    const problem = pushKeysProblem(subscription);
    if (problem) {
      // Stored before subscribing checked the keys: every push would fail the same way.
      await this.#options.devices.deletePushSubscriptionByEndpoint(subscription.endpoint);
      console.error(`vibes: dropped a push subscription no message can be encrypted for (${problem})`);
      return false;
    }
    const allowPrivate = this.#options.allowPrivatePush === true;
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
      const { status } = await this.#post(details.endpoint, {
        headers,
        body: details.body ?? '',
        ...(allowPrivate ? {} : { lookup: publicOnlyLookup }),
      });
      if (status === 404 || status === 410) {
        await this.#options.devices.deletePushSubscriptionByEndpoint(subscription.endpoint);
        return false;
      }
      if (status >= 200 && status < 300) {
        await this.#options.devices.touchPushSubscription(subscription.deviceId, this.#now());
        return true;
      }
      console.error(`vibes: the push service answered ${status} for a device's notification`);
      return false;
    } catch (error) {
      if (!this.#stopping.signal.aborted) console.error(`vibes: sending a push notification failed: ${reasonOf(error)}`);
      return false;
    }
  }

  /** JSON as it is, or ntfy's form: the text as the body, title, priority, click URL and tags as headers. */
  async #webhook(payload: NotificationPayload): Promise<boolean> {
    const webhook = this.#options.webhook;
    if (!webhook) return false;
    try {
      let request: { headers: Record<string, string>; body: string };
      if (webhook.format === 'ntfy') {
        if (payload.type !== 'show') return false;
        request = {
          headers: {
            'Content-Type': 'text/plain; charset=utf-8',
            Title: asciiHeader(payload.title),
            Priority: payload.kind === 'permission' ? 'high' : 'default',
            Tags: payload.kind === 'permission' ? 'warning' : payload.kind === 'failed' ? 'x' : 'white_check_mark',
            ...(webhook.publicUrl ? { Click: new URL(payload.url, webhook.publicUrl).toString() } : {}),
          },
          body: payload.body,
        };
      } else {
        const click = webhook.publicUrl && payload.type === 'show' ? { click_url: new URL(payload.url, webhook.publicUrl).toString() } : {};
        request = { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...payload, ...click }) };
      }
      const target = new URL(webhook.url);
      if (target.username || target.password) {
        const credentials = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
        request.headers.Authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
        target.username = '';
        target.password = '';
      }
      if (webhook.secret) request.headers[WEBHOOK_SIGNATURE_HEADER] = webhookSignature(webhook.secret, this.#now(), request.body);
      const { status } = await this.#post(target.toString(), request);
      if (status >= 200 && status < 300) return true;
      console.error(`vibes: the notification webhook answered ${status}`);
      return false;
    } catch (error) {
      if (!this.#stopping.signal.aborted) console.error(`vibes: the notification webhook failed: ${redactUrls(reasonOf(error))}`);
      return false;
    }
  }

  async #post(url: string, init: PostInit): Promise<{ status: number }> {
    const timeout = AbortSignal.timeout(this.#options.sendTimeoutMs ?? SEND_TIMEOUT_MS);
    const signal = AbortSignal.any([this.#stopping.signal, timeout]);
    return (this.#options.post ?? postOnce)(url, { ...init, signal });
  }

  #track(sending: Promise<unknown>): void {
    this.#sending.add(sending);
    void sending
      .catch((error: unknown) => console.error(`vibes: a notification failed: ${reasonOf(error)}`))
      .finally(() => this.#sending.delete(sending));
  }

  #name(sessionId: string): string {
    return this.#names.get(sessionId) ?? `Session ${sessionId.slice(0, 8)}`;
  }

  #forget(sessionId: string): void {
    this.#states.delete(sessionId);
    this.#names.delete(sessionId);
    this.#lastText.delete(sessionId);
    this.#shown.delete(sessionId);
  }

  #now(): number {
    return this.#options.clock?.() ?? Math.floor(Date.now() / 1000);
  }
}

/**
 * One POST, the answer's body read and dropped. Redirects are not followed: a push service
 * has no reason to send one, and following it would go where the endpoint rules never looked.
 */
function postOnce(url: string, init: PostInit): Promise<{ status: number }> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      target,
      {
        method: 'POST',
        headers: init.headers,
        ...(init.signal ? { signal: init.signal } : {}),
        ...(init.lookup ? { lookup: init.lookup } : {}),
      },
      (response) => {
        response.on('error', reject);
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
      },
    );
    request.on('error', reject);
    request.end(init.body);
  });
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

/** One notification per session on a device: the newer replaces the older. */
export function tagOf(sessionId: string): string {
  return `vibes-session-${sessionId}`;
}

function verb(request: PermissionRequest): string {
  if (request.kind === 'question') return 'Claude asks';
  if (request.kind === 'plan') return 'plan ready';
  return `allow ${request.tool_name}?`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** HTTP headers carry Latin-1 at most: what does not fit becomes `?`. */
function asciiHeader(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

/** Why a call failed, in a line: fetch says only "fetch failed" and keeps the reason (refused, DNS, TLS) in its cause. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
