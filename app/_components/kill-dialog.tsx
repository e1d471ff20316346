'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { useAsyncAction } from '../_hooks/use-async-action.ts';
import { useLive } from './live-provider.tsx';
import { Button } from './ui/button.tsx';
import { Problem } from './ui/problem.tsx';

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
  const { api } = useLive();
  const killing = useAsyncAction(async () => {
    await api.kill(sessionId);
    setOpen(false);
  });

  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Portal>
        <Dialog.Overlay className="vibes-overlay" />
        <Dialog.Content className="vibes-dialog">
          <Dialog.Title className="text-lg font-semibold">Kill “{title}”?</Dialog.Title>
          <Dialog.Description className="mt-2 text-sm text-muted">
            This ends Claude’s process and removes the session for everyone watching it. The running turn is lost.
          </Dialog.Description>
          <Problem className="mt-2">{killing.error}</Problem>
          <div className="mt-4 flex justify-end gap-2">
            <Dialog.Close asChild>
              <Button>Cancel</Button>
            </Dialog.Close>
            <Button variant="danger" disabled={killing.busy} onClick={() => void killing.run()}>
              {killing.busy ? 'Killing…' : 'Kill session'}
            </Button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
