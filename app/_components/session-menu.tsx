'use client';

import dynamic from 'next/dynamic';
import { useEffect, useId, useRef, useState } from 'react';
import { usePreload } from './dialog-buttons.tsx';
import { Button } from './ui/button.tsx';

const loadKill = () => import('./kill-dialog.tsx');
const KillDialog = dynamic(loadKill, { ssr: false });

/**
 * The header's overflow menu (⋮), as phone apps keep rare and destructive actions: Kill sits here,
 * a deliberate tap away from the title and the back arrow, and still asks before it ends anything.
 */
export function SessionMenu({ sessionId, title }: { sessionId: string; title: string }) {
  const [open, setOpen] = useState(false);
  const [killOpen, setKillOpen] = useState(false);
  const [used, setUsed] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  usePreload(loadKill);

  useEffect(() => {
    if (!open) return;
    root.current?.querySelector<HTMLElement>('[role=menuitem]')?.focus();
    const closeOutside = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', closeOutside);
    return () => document.removeEventListener('pointerdown', closeOutside);
  }, [open]);

  return (
    <div
      ref={root}
      className="relative shrink-0"
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || !open) return;
        setOpen(false);
        trigger.current?.focus();
      }}
      onBlur={(event) => {
        if (!root.current?.contains(event.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <Button
        variant="ghost"
        size="icon"
        ref={trigger}
        className="text-lg leading-none"
        aria-label="More actions"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((current) => !current)}
        data-testid="session-menu"
      >
        <span aria-hidden="true">⋮</span>
      </Button>
      {open && (
        <div
          id={menuId}
          role="menu"
          aria-label="Session actions"
          className="absolute right-0 top-full z-30 mt-1 min-w-48 rounded-lg border border-border bg-surface-raised p-1 shadow-lg"
        >
          <button
            type="button"
            role="menuitem"
            className="flex min-h-11 w-full items-center rounded-md px-3 text-left text-sm font-semibold text-danger-text hover:bg-surface-hover focus-visible:outline-2 focus-visible:outline-accent"
            onClick={() => {
              setOpen(false);
              setUsed(true);
              setKillOpen(true);
            }}
          >
            Kill session…
          </button>
        </div>
      )}
      {used && <KillDialog sessionId={sessionId} title={title} open={killOpen} setOpen={setKillOpen} />}
    </div>
  );
}
