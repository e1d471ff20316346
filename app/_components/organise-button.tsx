'use client';

import dynamic from 'next/dynamic';
import { useState } from 'react';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { Button } from './ui/button.tsx';

const OrganiseDialog = dynamic(() => import('./organise-dialog.tsx'), { ssr: false });

/** Rename and pin from a card; loaded after the first paint (cards.tsx), the dialog's code on the first tap. */
export default function OrganiseButton({ session, watching }: { session: SessionInfo; watching: boolean }) {
  const [open, setOpen] = useState(false);
  const [used, setUsed] = useState(false);
  return (
    <>
      <Button
        variant="ghost"
        className="m-1 text-muted"
        aria-haspopup="dialog"
        aria-label={`Rename or pin “${session.title}”`}
        data-testid="organise-button"
        onClick={() => {
          setUsed(true);
          setOpen(true);
        }}
      >
        <span aria-hidden="true">⋯</span>
      </Button>
      {used && <OrganiseDialog session={session} watching={watching} open={open} setOpen={setOpen} />}
    </>
  );
}
