'use client';

import { useState } from 'react';
import type { WebApi } from '../../lib/client/web/web-api.ts';
import type { NotificationKind, PushSubscriptionInfo } from '../../lib/protocol/index.ts';
import { Button } from './ui/button.tsx';
import { Card } from './ui/card.tsx';
import { Problem } from './ui/problem.tsx';
import { errorMessage } from '../../lib/protocol/text.ts';

export const KIND_LABELS: Record<NotificationKind, string> = {
  permission: 'Approval requests',
  turn_finished: 'Turn finished',
  failed: 'Session failed',
};
const ALL_KINDS = Object.keys(KIND_LABELS) as NotificationKind[];

/**
 * This device's push switch. The browser is asked for permission only when the switch is turned
 * on, never on load; turning it off forgets the subscription here and on the server.
 */
export function NotificationSettings({
  api,
  subscription,
  onChanged,
}: {
  api: WebApi;
  subscription: PushSubscriptionInfo | null;
  onChanged: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const on = subscription !== null;
  const kinds = subscription?.kinds ?? ALL_KINDS;

  async function run(action: () => Promise<string | null>) {
    setBusy(true);
    setProblem(null);
    setNote(null);
    try {
      setNote(await action());
      onChanged();
    } catch (caught) {
      setProblem(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card as="section" className="mt-4 p-3" aria-label="Notifications on this device">
      <div className="flex items-center gap-3">
        <div className="min-w-0 flex-1">
          <p className="font-medium" id="notify-switch-label">
            Notifications on this device
          </p>
          <p className="text-xs text-muted">When Claude needs you, even with vibes closed. Nothing for the session you are looking at.</p>
        </div>
        <button
          type="button"
          role="switch"
          aria-checked={on}
          aria-labelledby="notify-switch-label"
          data-testid="notify-switch"
          disabled={busy}
          onClick={() => void run(() => (on ? disablePush(api) : enablePush(api, kinds)))}
          className={`relative h-7 w-12 shrink-0 rounded-full transition-colors ${on ? 'bg-accent' : 'bg-border-strong'}`}
        >
          <span
            aria-hidden="true"
            className={`absolute top-1 left-1 h-5 w-5 rounded-full bg-accent-fg shadow transition-transform ${on ? 'translate-x-5' : ''}`}
          />
        </button>
      </div>
      {on && (
        <fieldset className="mt-3" disabled={busy}>
          <legend className="text-sm text-muted">Tell me about</legend>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
            {ALL_KINDS.map((kind) => (
              <label key={kind} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={kinds.includes(kind)}
                  onChange={(event) => {
                    const next = event.target.checked ? [...kinds, kind] : kinds.filter((other) => other !== kind);
                    void run(() =>
                      enablePush(
                        api,
                        ALL_KINDS.filter((candidate) => next.includes(candidate)),
                      ),
                    );
                  }}
                />
                {KIND_LABELS[kind]}
              </label>
            ))}
          </div>
          <Button className="mt-3" onClick={() => void run(async () => `Sent to ${(await api.notifyTest()).devices} device(s)`)}>
            Send a test
          </Button>
        </fieldset>
      )}
      {note && (
        <p className="mt-2 text-sm text-muted" role="status">
          {note}
        </p>
      )}
      <Problem className="mt-2">{problem}</Problem>
    </Card>
  );
}

/** Registers the service worker, asks for permission, subscribes and tells the server. */
async function enablePush(api: WebApi, kinds: NotificationKind[]): Promise<string | null> {
  if (!window.isSecureContext) {
    throw new Error(
      'Notifications need HTTPS: open vibes through its https:// address (docs/notifications.md shows how, e.g. Tailscale Serve).',
    );
  }
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    throw new Error('This browser cannot receive push notifications here. On an iPhone, add vibes to the Home Screen first (iOS 16.4+).');
  }
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new Error('Notifications are blocked for this site: allow them in the browser’s site settings.');
  await navigator.serviceWorker.register('/sw.js');
  const registration = await navigator.serviceWorker.ready;
  const { public_key } = await api.notificationSettings();
  const serverKey = fromBase64Url(public_key);
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription.options.applicationServerKey, serverKey)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: serverKey });
  const json = subscription.toJSON();
  if (!json.endpoint || !json.keys?.p256dh || !json.keys.auth) throw new Error('The browser gave an incomplete push subscription');
  await api.subscribePush({ endpoint: json.endpoint, keys: { p256dh: json.keys.p256dh, auth: json.keys.auth }, kinds });
  return null;
}

/** Forgets this device's subscription on the server and in the browser. */
export async function disablePush(api: WebApi): Promise<string | null> {
  await api.unsubscribePush();
  const registration = 'serviceWorker' in navigator ? await navigator.serviceWorker.getRegistration() : undefined;
  await (await registration?.pushManager.getSubscription())?.unsubscribe();
  return null;
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (character) => character.charCodeAt(0));
}

function sameKey(current: ArrayBuffer | null, wanted: Uint8Array): boolean {
  if (!current) return false;
  const bytes = new Uint8Array(current);
  return bytes.length === wanted.length && bytes.every((byte, index) => byte === wanted[index]);
}
