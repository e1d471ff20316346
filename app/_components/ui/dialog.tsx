'use client';

import * as Dialog from '@radix-ui/react-dialog';
import type { ReactNode } from 'react';
import { Button } from './button.tsx';

/** What every dialog is given by the button that opens it. */
export type DialogOpen = { open: boolean; setOpen: (open: boolean) => void };

/**
 * A modal dialog as they all look here: the dimmed page, the box and its title. The description is
 * read out after the title; a dialog without one says so to Radix, or it warns.
 */
export function DialogFrame({
  open,
  setOpen,
  title,
  description,
  className = '',
  testId,
  children,
}: DialogOpen & { title: ReactNode; description?: ReactNode; className?: string; testId?: string; children: ReactNode }) {
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Portal>
        <Dialog.Overlay className="vibes-overlay" />
        <Dialog.Content
          className={`vibes-dialog ${className}`}
          data-testid={testId}
          {...(description === undefined && { 'aria-describedby': undefined })}
        >
          <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
          {description !== undefined && <Dialog.Description className="mt-2 text-sm text-muted">{description}</Dialog.Description>}
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** Leaves a dialog without acting: Cancel where it asks, Close where it only shows. */
export function DialogCloseButton({ children = 'Cancel' }: { children?: ReactNode }) {
  return (
    <Dialog.Close asChild>
      <Button>{children}</Button>
    </Dialog.Close>
  );
}

/** A form dialog's buttons: Cancel, then the submit button, which says what it is doing while busy. */
export function CancelAndSubmit({ busy, label, busyLabel }: { busy: boolean; label: string; busyLabel: string }) {
  return (
    <>
      <DialogCloseButton />
      <Button type="submit" variant="primary" disabled={busy}>
        {busy ? busyLabel : label}
      </Button>
    </>
  );
}
