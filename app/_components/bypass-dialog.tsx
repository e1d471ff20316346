'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { Button } from './ui/button.tsx';

/** Bypass lets Claude run any command and change any file without asking: it is confirmed every time. */
export default function BypassDialog({
  open,
  setOpen,
  onConfirm,
}: {
  open: boolean;
  setOpen: (open: boolean) => void;
  onConfirm: () => void;
}) {
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Portal>
        <Dialog.Overlay className="vibes-overlay" />
        <Dialog.Content className="vibes-dialog" data-testid="bypass-dialog">
          <Dialog.Title className="text-lg font-semibold">Bypass permissions?</Dialog.Title>
          <Dialog.Description className="mt-2 text-sm text-muted">
            Claude will run every command and change every file without asking you, until you switch the mode back. Use it only in a folder
            you can afford to lose.
          </Dialog.Description>
          <div className="mt-4 flex justify-end gap-2">
            <Dialog.Close asChild>
              <Button>Cancel</Button>
            </Dialog.Close>
            <Button
              variant="danger"
              onClick={() => {
                onConfirm();
                setOpen(false);
              }}
            >
              Bypass permissions
            </Button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
