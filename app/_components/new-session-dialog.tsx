'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { useState, type FormEvent } from 'react';
import { useLive } from './live-provider.tsx';

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
  const { api, noteError } = useLive();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' && value.trim() ? value.trim() : undefined;
    };
    const prompt = text('prompt');
    const name = text('name');
    const cwd = text('cwd');
    setBusy(true);
    setError(null);
    try {
      const session = await api.createSession({
        source: 'web',
        ...(prompt ? { prompt } : {}),
        ...(name ? { name } : {}),
        ...(cwd ? { cwd } : {}),
      });
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
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
