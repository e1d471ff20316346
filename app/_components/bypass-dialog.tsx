'use client';

import { Button } from './ui/button.tsx';
import { DialogFrame, DialogCloseButton, type DialogOpen } from './ui/dialog.tsx';

/** Bypass lets Claude run any command and change any file without asking: it is confirmed every time. */
export default function BypassDialog({ open, setOpen, onConfirm }: DialogOpen & { onConfirm: () => void }) {
  return (
    <DialogFrame
      open={open}
      setOpen={setOpen}
      title="Bypass permissions?"
      description="Claude will run every command and change every file without asking you, until you switch the mode back. Use it only in a folder you can afford to lose."
      testId="bypass-dialog"
    >
      <div className="mt-4 flex justify-end gap-2">
        <DialogCloseButton />
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
    </DialogFrame>
  );
}
