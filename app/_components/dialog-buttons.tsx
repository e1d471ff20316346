'use client';

import dynamic from 'next/dynamic';
import { useEffect, useState } from 'react';
import { useLive } from './live-provider.tsx';

const loadKill = () => import('./kill-dialog.tsx');
const loadNew = () => import('./new-session-dialog.tsx');
const loadDevices = () => import('./devices-dialog.tsx');
const KillDialog = dynamic(loadKill, { ssr: false });
const NewSessionDialog = dynamic(loadNew, { ssr: false });
const DevicesDialog = dynamic(loadDevices, { ssr: false });

/** Fetches the dialog code once the page is idle, so the first tap opens it at once. */
function usePreload(load: () => Promise<unknown>) {
  useEffect(() => {
    const handle = window.setTimeout(() => void load(), 1500);
    return () => window.clearTimeout(handle);
  }, [load]);
}

export function KillButton({ sessionId, title }: { sessionId: string; title: string }) {
  const [open, setOpen] = useState(false);
  const [used, setUsed] = useState(false);
  usePreload(loadKill);
  return (
    <>
      <button
        type="button"
        className="vibes-button vibes-button-danger"
        aria-haspopup="dialog"
        onClick={() => {
          setUsed(true);
          setOpen(true);
        }}
      >
        Kill
      </button>
      {used && <KillDialog sessionId={sessionId} title={title} open={open} setOpen={setOpen} />}
    </>
  );
}

export function NewSessionButton({ onCreated, compact = false }: { onCreated: (id: string) => void; compact?: boolean }) {
  const { clientId } = useLive();
  const [open, setOpen] = useState(false);
  const [used, setUsed] = useState(false);
  usePreload(loadNew);
  return (
    <>
      <button
        type="button"
        className="vibes-button vibes-button-primary"
        aria-haspopup="dialog"
        disabled={!clientId}
        onClick={() => {
          setUsed(true);
          setOpen(true);
        }}
      >
        {compact ? (
          <>
            <span aria-hidden="true">+</span>
            <span className="ml-1">New</span>
          </>
        ) : (
          'New session'
        )}
      </button>
      {used && <NewSessionDialog onCreated={onCreated} open={open} setOpen={setOpen} />}
    </>
  );
}

export function DevicesButton() {
  const [open, setOpen] = useState(false);
  const [used, setUsed] = useState(false);
  return (
    <>
      <button
        type="button"
        className="vibes-button"
        aria-haspopup="dialog"
        onClick={() => {
          setUsed(true);
          setOpen(true);
        }}
      >
        Devices
      </button>
      {used && <DevicesDialog open={open} setOpen={setOpen} />}
    </>
  );
}
