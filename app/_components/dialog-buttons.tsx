'use client';

import dynamic from 'next/dynamic';
import { useEffect, useState } from 'react';
import { useLive } from './live-provider.tsx';
import { Button } from './ui/button.tsx';

const loadNew = () => import('./new-session-dialog.tsx');
const loadDevices = () => import('./devices-dialog.tsx');
const NewSessionDialog = dynamic(loadNew, { ssr: false });
const DevicesDialog = dynamic(loadDevices, { ssr: false });

// A dialog mounts (and its code loads) on its first opening: `open` is null until then.

/** Fetches the dialog code once the page is idle, so the first tap opens it at once. */
export function usePreload(load: () => Promise<unknown>) {
  useEffect(() => {
    const handle = window.setTimeout(() => void load(), 1500);
    return () => window.clearTimeout(handle);
  }, [load]);
}

export function NewSessionButton({ onCreated, compact = false }: { onCreated: (id: string) => void; compact?: boolean }) {
  const { clientId } = useLive();
  const [open, setOpen] = useState<boolean | null>(null);
  usePreload(loadNew);
  return (
    <>
      <Button variant="primary" aria-haspopup="dialog" disabled={!clientId} onClick={() => setOpen(true)}>
        {compact ? (
          <>
            <span aria-hidden="true">+</span>
            <span className="ml-1">New</span>
          </>
        ) : (
          'New session'
        )}
      </Button>
      {open !== null && <NewSessionDialog onCreated={onCreated} open={open} setOpen={setOpen} />}
    </>
  );
}

export function DevicesButton() {
  const [open, setOpen] = useState<boolean | null>(null);
  return (
    <>
      <Button aria-haspopup="dialog" onClick={() => setOpen(true)}>
        Devices
      </Button>
      {open !== null && <DevicesDialog open={open} setOpen={setOpen} />}
    </>
  );
}
