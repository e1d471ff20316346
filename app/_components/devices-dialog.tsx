'use client';

import { useCallback, useEffect, useState } from 'react';
import type { DeviceInfo } from '../../lib/protocol/index.ts';
import { announceThisDevice } from '../_hooks/use-this-device.ts';
import { useLive } from './live-provider.tsx';
import { disablePush, KIND_LABELS, NotificationSettings } from './notification-settings.tsx';
import { Badge } from './ui/badge.tsx';
import { Button } from './ui/button.tsx';
import { Problem } from './ui/problem.tsx';
import { DialogFrame, DialogCloseButton, type DialogOpen } from './ui/dialog.tsx';
import { errorMessage } from '../../lib/protocol/text.ts';

/** The browsers signed in to this server: this one can sign out, the others can be revoked. */
/** Loaded on first use, so Radix stays out of the phone's first load. */
export default function DevicesDialog({ open, setOpen }: DialogOpen) {
  const { api, noteError } = useLive();
  const [devices, setDevices] = useState<DeviceInfo[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const fail = useCallback(
    (caught: unknown) => {
      noteError(caught);
      setError(errorMessage(caught));
    },
    [noteError],
  );
  const reload = useCallback(() => {
    api.listDevices().then(setDevices, fail);
  }, [api, fail]);
  useEffect(() => {
    if (open) reload();
  }, [open, reload]);

  async function tellClaudeOnPhone(on: boolean) {
    const before = devices;
    // Shown at once, as a checkbox is expected to; put back if the server refuses.
    setDevices((listed) => listed?.map((device) => (device.current ? { ...device, tell_claude_on_phone: on } : device)) ?? null);
    setBusy('phone');
    setError(null);
    try {
      const changed = await api.tellClaudeOnPhone(on);
      setDevices((listed) => listed?.map((device) => (device.id === changed.id ? changed : device)) ?? null);
      announceThisDevice(changed);
    } catch (caught) {
      setDevices(before);
      fail(caught);
    } finally {
      setBusy(null);
    }
  }

  async function revoke(device: DeviceInfo) {
    setBusy(device.id);
    setError(null);
    try {
      if (device.current) {
        // The server forgets the subscription with the device; the browser should too.
        if (device.notifications) await disablePush(api).catch(() => undefined);
        await api.signOut();
        window.location.assign('/');
        return;
      }
      await api.revokeDevice(device.id);
      reload();
    } catch (caught) {
      fail(caught);
    } finally {
      setBusy(null);
    }
  }

  return (
    <DialogFrame open={open} setOpen={setOpen} title="Signed-in devices">
      <Problem className="mt-2">{error}</Problem>
      {devices === null ? (
        <p className="mt-3 text-sm text-muted" role="status">
          Loading…
        </p>
      ) : devices.length === 0 ? (
        <p className="mt-3 text-sm text-muted">
          No browser is signed in. This page uses the token; run <code>vibes pair</code> to sign a browser in.
        </p>
      ) : (
        <ul className="mt-3 divide-y divide-border" aria-label="Devices">
          {devices.map((device) => (
            <li key={device.id} className="flex items-center gap-3 py-2" data-testid="device" data-device-id={device.id}>
              <div className="min-w-0 flex-1">
                <p className="truncate font-medium">
                  {device.label}
                  {device.current && (
                    <Badge className="ml-2" data-testid="this-device">
                      This device
                    </Badge>
                  )}
                </p>
                <p className="text-xs text-muted">
                  {device.address} · last seen {when(device.last_seen_at)} · signed in {when(device.created_at)}
                </p>
                <p className="text-xs text-muted" data-testid="device-notifications">
                  {device.notifications
                    ? `Notifications: ${device.notifications.kinds.map((kind) => KIND_LABELS[kind]).join(', ') || 'none'} · on since ${when(device.notifications.created_at)}${
                        device.notifications.last_used_at ? ` · last sent ${when(device.notifications.last_used_at)}` : ''
                      }`
                    : 'Notifications off'}
                </p>
              </div>
              <Button variant="danger" disabled={busy !== null} onClick={() => void revoke(device)}>
                {device.current ? 'Sign out' : 'Revoke'}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {devices?.some((device) => device.current) && (
        <section className="mt-4" aria-label="What Claude is told">
          <label className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              className="mt-1"
              data-testid="tell-claude-on-phone"
              checked={devices.find((device) => device.current)?.tell_claude_on_phone === true}
              disabled={busy !== null}
              onChange={(event) => void tellClaudeOnPhone(event.target.checked)}
            />
            <span>
              Tell Claude I’m on my phone
              <span className="block text-xs text-muted">
                Messages from this device ask for short answers without wide tables. Slash commands and other devices are left as they are.
              </span>
            </span>
          </label>
        </section>
      )}
      {devices?.some((device) => device.current) && (
        <NotificationSettings api={api} subscription={devices.find((device) => device.current)?.notifications ?? null} onChanged={reload} />
      )}
      <div className="mt-4 flex justify-end">
        <DialogCloseButton>Close</DialogCloseButton>
      </div>
    </DialogFrame>
  );
}

function when(seconds: number): string {
  return new Date(seconds * 1000).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}
