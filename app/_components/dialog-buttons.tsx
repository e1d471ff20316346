'use client';

import dynamic from 'next/dynamic';
import { useEffect, useState } from 'react';
import { useAsyncAction } from '../_hooks/use-async-action.ts';
import { useLive } from './live-provider.tsx';
import { Button } from './ui/button.tsx';
import { Problem } from './ui/problem.tsx';

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

/** Starts a demo session at once: the stand-in Claude asks for a command, then answers in Markdown. */
export function TryDemoButton({ onCreated }: { onCreated: (id: string) => void }) {
  const { api, clientId } = useLive();
  const starting = useAsyncAction(async () => {
    const session = await api.createSession({ source: 'web', demo: true, prompt: DEMO_PROMPT });
    onCreated(session.id);
  });
  return (
    <>
      <Button disabled={!clientId || starting.busy} onClick={() => void starting.run()} data-testid="try-demo">
        {starting.busy ? 'Starting…' : 'Try the demo'}
      </Button>
      <Problem className="w-full">{starting.error}</Problem>
    </>
  );
}

/** Words the demo's Claude plays: it asks to run a command (see lib/fake-claude), then replies with a table and code. */
const DEMO_PROMPT = 'Show me around: run a bash command, then answer in markdown';

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
