import type { Bus, CoreEvent } from '../../core/index.ts';
import type { PushSubscriptionRecord } from '../../core/devices.ts';
import type { NotificationPayload } from '../../protocol/index.ts';
import { NotificationPolicy, type NotificationPolicyOptions, type ShowNotice, type WithdrawNotice } from './policy.ts';
import { postOnce, reasonOf, type Delivery, type Post } from './transports/post.ts';
import { webPushSender, type WebPushOptions } from './transports/web-push.ts';
import { webhookSender, type WebhookOptions } from './transports/webhook.ts';
import { noticeText, TEST_TEXT, type NoticeText } from './wording.ts';

type ShowPayload = Extract<NotificationPayload, { type: 'show' }>;

export interface NotifierOptions extends NotificationPolicyOptions, WebPushOptions {
  bus: Bus<CoreEvent>;
  webhook?: WebhookOptions;
  /** Unix seconds; for tests. */
  clock?: () => number;
  /** How long one push or webhook call may take; shutdown aborts it sooner. */
  sendTimeoutMs?: number;
  /** Posts one request; node:http(s) by default. */
  post?: Post;
}

const SEND_TIMEOUT_MS = 10_000;

/**
 * Tells devices (Web Push) and an optional webhook what needs the user. The policy says when,
 * the wording what, the transports carry it. One notification per session (its tag), so a newer
 * one replaces the older; an answered request is withdrawn from where it was shown. Nothing that
 * could sign anybody in travels: no token, no cookie.
 */
export class Notifier {
  readonly #options: NotifierOptions;
  readonly #policy: NotificationPolicy;
  readonly #push: ReturnType<typeof webPushSender>;
  readonly #webhook: ReturnType<typeof webhookSender> | null;
  /** Which request each session's notification shows, and where (the devices known once the subscriptions are read). */
  readonly #shown = new Map<string, { requestId: string; deviceIds: Promise<string[]>; webhook: boolean }>();
  readonly #sending = new Set<Promise<unknown>>();
  /** Aborted at shutdown: a push service that never answers must not hold the server up. */
  readonly #stopping = new AbortController();
  #unsubscribe: (() => void) | null = null;

  constructor(options: NotifierOptions) {
    this.#options = options;
    this.#policy = new NotificationPolicy(options);
    const delivery: Delivery = {
      post: (url, init) => {
        const timeout = AbortSignal.timeout(options.sendTimeoutMs ?? SEND_TIMEOUT_MS);
        return (options.post ?? postOnce)(url, { ...init, signal: AbortSignal.any([this.#stopping.signal, timeout]) });
      },
      stopping: () => this.#stopping.signal.aborted,
      now: () => options.clock?.() ?? Math.floor(Date.now() / 1000),
    };
    this.#push = webPushSender(options, delivery);
    this.#webhook = options.webhook ? webhookSender(options.webhook, delivery) : null;
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
    const payload = showPayload('test', null, TEST_TEXT);
    const subscriptions = await this.#options.devices.listPushSubscriptions();
    const results = await Promise.all(subscriptions.map((subscription) => this.#push(subscription, payload)));
    const webhook = this.#webhook ? await this.#webhook.send(payload) : false;
    return { devices: results.filter(Boolean).length, webhook };
  }

  #onEvent(event: CoreEvent): void {
    if (event.type === 'session_removed') this.#shown.delete(event.session_id);
    const notice = this.#policy.decide(event);
    if (notice?.type === 'show') this.#show(notice);
    else if (notice?.type === 'withdraw') this.#withdraw(notice);
  }

  #show(notice: ShowNotice): void {
    const sessionId = notice.session.id;
    const request = notice.kind === 'permission' ? notice.request : null;
    const payload: ShowPayload = {
      ...showPayload(notice.kind, sessionId, noticeText(notice)),
      request_id: request?.request_id ?? null,
      // Allow and Deny on the notification answer a plain tool approval; a question or a plan needs the page.
      actions: request?.kind === 'tool',
    };
    const deviceIds = this.#send(payload, (found) => found.kinds.includes(notice.kind), true);
    if (request) this.#shown.set(sessionId, { requestId: request.request_id, deviceIds, webhook: this.#webhook !== null });
    else this.#shown.delete(sessionId);
  }

  #withdraw({ sessionId, requestId }: WithdrawNotice): void {
    const shown = this.#shown.get(sessionId);
    if (!shown || shown.requestId !== requestId) return;
    this.#shown.delete(sessionId);
    const payload: NotificationPayload = { type: 'withdraw', tag: tagOf(sessionId), session_id: sessionId };
    const webhook = shown.webhook && this.#webhook?.withdraws === true;
    this.#track(shown.deviceIds.then((deviceIds) => this.#send(payload, (found) => deviceIds.includes(found.deviceId), webhook)));
  }

  /** To the devices `wanted` picks, and to the webhook when `webhook`; returns the devices it went to. */
  #send(payload: NotificationPayload, wanted: (subscription: PushSubscriptionRecord) => boolean, webhook: boolean): Promise<string[]> {
    if (webhook && this.#webhook) this.#track(this.#webhook.send(payload));
    const deviceIds = this.#pushTo(payload, wanted);
    this.#track(deviceIds);
    return deviceIds;
  }

  async #pushTo(payload: NotificationPayload, wanted: (subscription: PushSubscriptionRecord) => boolean): Promise<string[]> {
    let subscriptions: PushSubscriptionRecord[];
    try {
      subscriptions = (await this.#options.devices.listPushSubscriptions()).filter(wanted);
    } catch (error) {
      console.error(`vibes: reading the push subscriptions failed: ${reasonOf(error)}`);
      return [];
    }
    for (const subscription of subscriptions) this.#track(this.#push(subscription, payload));
    return subscriptions.map((found) => found.deviceId);
  }

  #track(sending: Promise<unknown>): void {
    this.#sending.add(sending);
    void sending
      .catch((error: unknown) => console.error(`vibes: a notification failed: ${reasonOf(error)}`))
      .finally(() => this.#sending.delete(sending));
  }
}

/** A notification to show: of a session (opened by a tap), or of none (the test). */
function showPayload(kind: ShowPayload['kind'], sessionId: string | null, text: NoticeText): ShowPayload {
  return {
    type: 'show',
    kind,
    tag: sessionId === null ? 'vibes-test' : tagOf(sessionId),
    ...text,
    url: sessionId === null ? '/' : `/?session=${encodeURIComponent(sessionId)}`,
    session_id: sessionId,
    request_id: null,
    actions: false,
  };
}

/** One notification per session on a device: the newer replaces the older. */
export function tagOf(sessionId: string): string {
  return `vibes-session-${sessionId}`;
}
