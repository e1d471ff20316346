'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { useState } from 'react';
import { useLive } from './live-provider.tsx';

/** Kill ends Claude's process for good, so it asks first. */
/** Loaded on first use, so Radix stays out of the phone's first load. */
export default function KillDialog({
  sessionId,
  title,
  open,
  setOpen,
}: {
  sessionId: string;
  title: string;
  open: boolean;
  setOpen: (open: boolean) => void;
}) {
  const { api, noteError } = useLive();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function kill() {
    setBusy(true);
    setError(null);
    try {
      await api.kill(sessionId);
      setOpen(false);
    } catch (caught) {
      noteError(caught);
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Portal>
        <Dialog.Overlay className="vibes-overlay" />
        <Dialog.Content className="vibes-dialog">
          <Dialog.Title className="text-lg font-semibold">Kill “{title}”?</Dialog.Title>
          <Dialog.Description className="mt-2 text-sm text-neutral-700 dark:text-neutral-300">
            This ends Claude’s process and removes the session for everyone watching it. The running turn is lost.
          </Dialog.Description>
          {error && (
            <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">
              {error}
            </p>
          )}
          <div className="mt-4 flex justify-end gap-2">
            <Dialog.Close asChild>
              <button type="button" className="vibes-button">
                Cancel
              </button>
            </Dialog.Close>
            <button type="button" disabled={busy} onClick={() => void kill()} className="vibes-button vibes-button-danger">
              {busy ? 'Killing…' : 'Kill session'}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
