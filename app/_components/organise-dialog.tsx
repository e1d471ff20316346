'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { useSWRConfig } from 'swr';
import type { FormEvent } from 'react';
import { pinSession, renameSession } from '../../lib/client/shared/organise-calls.ts';
import { LIMITS } from '../../lib/protocol/rules.ts';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { useAsyncAction } from '../_hooks/use-async-action.ts';
import { HISTORY_KEY, useLive } from './live-provider.tsx';
import { Input } from './ui/field.tsx';
import { Button } from './ui/button.tsx';
import { Problem } from './ui/problem.tsx';

/**
 * A session's name and pin, kept by the server and seen on every device. Acting on a live session
 * needs this page subscribed to it (as kill does): one it is not watching is joined for the change,
 * then left again. An ended one is changed in the history.
 */
export default function OrganiseDialog({
  session,
  watching,
  open,
  setOpen,
}: {
  session: SessionInfo;
  /** The page shows this session: it stays subscribed. */
  watching: boolean;
  open: boolean;
  setOpen: (open: boolean) => void;
}) {
  const { api } = useLive();
  const { mutate } = useSWRConfig();
  const ended = session.ended_at !== null;

  async function act(change: () => Promise<SessionInfo>): Promise<void> {
    const visiting = !ended && !watching && !session.is_owner;
    if (!ended) await api.subscribe(session.id);
    try {
      await change();
    } finally {
      if (visiting) await api.unsubscribe(session.id).catch(() => undefined);
    }
    // The live list hears of it from the stream; the history (and its searches) is read again.
    if (ended) void mutate((key) => key === HISTORY_KEY || (Array.isArray(key) && key[0] === HISTORY_KEY));
  }

  const saving = useAsyncAction(async (name: string) => {
    await act(() => renameSession(api, session.id, name.trim() === '' ? null : name));
    setOpen(false);
  });
  const pinning = useAsyncAction(async () => {
    await act(() => pinSession(api, session.id, !session.pinned));
    setOpen(false);
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = new FormData(event.currentTarget).get('name');
    void saving.run(typeof name === 'string' ? name : '');
  }

  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Portal>
        <Dialog.Overlay className="vibes-overlay" />
        <Dialog.Content className="vibes-dialog" data-testid="organise-dialog">
          <Dialog.Title className="text-lg font-semibold">Name and pin</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-muted">Every device sees the name and the pin.</Dialog.Description>
          <form onSubmit={submit} className="mt-3 space-y-3">
            <div>
              <label htmlFor="organise-name" className="block text-sm font-medium">
                Name <span className="font-normal text-muted">(empty: called by its first prompt)</span>
              </label>
              <Input
                id="organise-name"
                name="name"
                defaultValue={session.name ?? ''}
                placeholder={session.name === null ? session.title : ''}
                maxLength={LIMITS.nameChars}
                autoComplete="off"
                className="mt-1 w-full"
              />
            </div>
            <Problem>{saving.error ?? pinning.error}</Problem>
            <div className="flex flex-wrap justify-between gap-2">
              <Button onClick={() => void pinning.run()} disabled={pinning.busy} data-testid="pin-toggle">
                {session.pinned ? 'Unpin' : 'Pin to top'}
              </Button>
              <div className="flex gap-2">
                <Dialog.Close asChild>
                  <Button>Cancel</Button>
                </Dialog.Close>
                <Button type="submit" variant="primary" disabled={saving.busy}>
                  {saving.busy ? 'Saving…' : 'Save name'}
                </Button>
              </div>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
