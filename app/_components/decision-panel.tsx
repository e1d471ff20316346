'use client';

import { useEffect, useRef } from 'react';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { PendingDecisions } from './pending-decisions.tsx';

/**
 * The session view's decisions, under the transcript. Only this panel scrolls, and each card's answer
 * bar sticks to its bottom; a field being typed in is kept in view above that bar as an on-screen
 * keyboard shrinks the panel (iOS does not scroll an inner box by itself).
 */
export function DecisionPanel({ session }: { session: SessionInfo }) {
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = panel.current;
    if (!element) return;
    const keepFocusedInView = () => {
      const focused = document.activeElement;
      if (!(focused instanceof HTMLElement) || !element.contains(focused) || focused.closest('[data-testid=decision-bar]')) return;
      const bar = focused.closest('[data-testid=permission-prompt]')?.querySelector<HTMLElement>('[data-testid=decision-bar]');
      element.style.scrollPaddingBottom = `${bar?.offsetHeight ?? 0}px`;
      focused.scrollIntoView({ block: 'nearest' });
    };
    const observer = new ResizeObserver(keepFocusedInView);
    observer.observe(element);
    element.addEventListener('focusin', keepFocusedInView);
    return () => {
      observer.disconnect();
      element.removeEventListener('focusin', keepFocusedInView);
    };
  }, []);
  return (
    <div
      ref={panel}
      className="relative z-10 max-h-[70%] overflow-y-auto overscroll-contain border-t border-border bg-surface px-3 pt-3"
      data-testid="decision-panel"
    >
      <PendingDecisions session={session} />
    </div>
  );
}
