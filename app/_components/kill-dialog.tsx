'use client';

import { useAsyncAction } from '../_hooks/use-async-action.ts';
import { useLive } from './live-provider.tsx';
import { Button } from './ui/button.tsx';
import { Problem } from './ui/problem.tsx';
import { DialogFrame, DialogCloseButton, type DialogOpen } from './ui/dialog.tsx';

/** Kill ends Claude's process for good, so it asks first. */
/** Loaded on first use, so Radix stays out of the phone's first load. */
export default function KillDialog({ sessionId, title, open, setOpen }: DialogOpen & { sessionId: string; title: string }) {
  const { api } = useLive();
  const killing = useAsyncAction(async () => {
    await api.kill(sessionId);
    setOpen(false);
  });

  return (
    <DialogFrame
      open={open}
      setOpen={setOpen}
      title={<>Kill “{title}”?</>}
      description="This ends Claude’s process and removes the session for everyone watching it. The running turn is lost."
    >
      <Problem className="mt-2">{killing.error}</Problem>
      <div className="mt-4 flex justify-end gap-2">
        <DialogCloseButton />
        <Button variant="danger" disabled={killing.busy} onClick={() => void killing.run()}>
          {killing.busy ? 'Killing…' : 'Kill session'}
        </Button>
      </div>
    </DialogFrame>
  );
}
