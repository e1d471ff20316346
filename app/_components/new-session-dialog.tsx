'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { useState, type FormEvent } from 'react';
import { MODE_HINTS, MODE_LABELS } from '../../lib/client/shared/permission-modes.ts';
import type { CreateSessionBody, PermissionMode } from '../../lib/protocol/index.ts';
import BypassDialog from './bypass-dialog.tsx';
import { useLive } from './live-provider.tsx';
import { offeredModes } from './session-controls.tsx';

/** Loaded on first use, so Radix stays out of the phone's first load. */
export default function NewSessionDialog({
  onCreated,
  open,
  setOpen,
}: {
  onCreated: (id: string) => void;
  open: boolean;
  setOpen: (open: boolean) => void;
}) {
  const { api, allowBypass, noteError } = useLive();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [mode, setMode] = useState<PermissionMode>('default');
  const [confirming, setConfirming] = useState<CreateSessionBody | null>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' && value.trim() ? value.trim() : undefined;
    };
    const prompt = text('prompt');
    const name = text('name');
    const cwd = text('cwd');
    const body: CreateSessionBody = {
      source: 'web',
      ...(prompt ? { prompt } : {}),
      ...(name ? { name } : {}),
      ...(cwd ? { cwd } : {}),
      ...(mode === 'default' ? {} : { permission_mode: mode }),
    };
    // Bypass is confirmed every time it is chosen.
    if (mode === 'bypassPermissions') setConfirming(body);
    else void create(body);
  }

  async function create(body: CreateSessionBody) {
    setBusy(true);
    setError(null);
    try {
      const session = await api.createSession(body);
      setOpen(false);
      onCreated(session.id);
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
        <Dialog.Content className="vibes-dialog" aria-describedby={undefined}>
          <Dialog.Title className="text-lg font-semibold">New session</Dialog.Title>
          <form onSubmit={(event) => void submit(event)} className="mt-3 space-y-3">
            <div>
              <label htmlFor="new-prompt" className="block text-sm font-medium">
                Prompt
              </label>
              <textarea id="new-prompt" name="prompt" rows={3} className="vibes-input mt-1 w-full" />
            </div>
            <div>
              <label htmlFor="new-name" className="block text-sm font-medium">
                Name <span className="font-normal text-neutral-500">(optional)</span>
              </label>
              <input id="new-name" name="name" className="vibes-input mt-1 w-full" autoComplete="off" />
            </div>
            <div>
              <label htmlFor="new-cwd" className="block text-sm font-medium">
                Working directory <span className="font-normal text-neutral-500">(optional)</span>
              </label>
              <input id="new-cwd" name="cwd" className="vibes-input mt-1 w-full font-mono" autoComplete="off" spellCheck={false} />
            </div>
            <div>
              <label htmlFor="new-mode" className="block text-sm font-medium">
                Permission mode
              </label>
              <select
                id="new-mode"
                data-testid="new-mode"
                value={mode}
                onChange={(event) => setMode(event.target.value as PermissionMode)}
                className="vibes-input mt-1 w-full"
                aria-describedby="new-mode-hint"
              >
                {offeredModes(allowBypass, 'default').map((option) => (
                  <option key={option} value={option}>
                    {MODE_LABELS[option]}
                  </option>
                ))}
              </select>
              <p id="new-mode-hint" className="mt-1 text-xs text-neutral-700 dark:text-neutral-300">
                {MODE_HINTS[mode]}
              </p>
            </div>
            {error && (
              <p role="alert" className="text-sm text-red-700 dark:text-red-300">
                {error}
              </p>
            )}
            <div className="flex justify-end gap-2">
              <Dialog.Close asChild>
                <button type="button" className="vibes-button">
                  Cancel
                </button>
              </Dialog.Close>
              <button type="submit" disabled={busy} className="vibes-button vibes-button-primary">
                {busy ? 'Starting…' : 'Start'}
              </button>
            </div>
          </form>
          {confirming && <BypassDialog open setOpen={(open) => !open && setConfirming(null)} onConfirm={() => void create(confirming)} />}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
