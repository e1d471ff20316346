'use client';

import { useCallback, useEffect, useState, type UIEvent } from 'react';

/** Before the first measure: enough for a tall screen. */
const FIRST_HEIGHT = 1200;

/**
 * Windowing of fixed-height rows: which rows of a long list are in (or near) view of a scrolling
 * box. Only those are mounted; the box keeps the whole list's height so its scrollbar stays true.
 */
export function useWindowed(count: number, rowHeight: number, overscan: number) {
  // A callback ref: the box may mount after the first render (once its data has loaded).
  const [element, ref] = useState<HTMLElement | null>(null);
  const [view, setView] = useState({ top: 0, height: FIRST_HEIGHT });

  useEffect(() => {
    if (!element) return;
    // The observer reports the first size after layout: reading it here would force a layout mid-render.
    const observer = new ResizeObserver(() => setView({ top: element.scrollTop, height: element.clientHeight || FIRST_HEIGHT }));
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);

  const onScroll = useCallback(
    (event: UIEvent<HTMLElement>) => {
      const { scrollTop, clientHeight } = event.currentTarget;
      // A new render only when the scroll crosses a row, not on every pixel.
      setView((current) =>
        Math.floor(scrollTop / rowHeight) === Math.floor(current.top / rowHeight) && clientHeight === current.height
          ? current
          : { top: scrollTop, height: clientHeight },
      );
    },
    [rowHeight],
  );

  const first = Math.max(0, Math.floor(view.top / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((view.top + view.height) / rowHeight) + overscan);
  return { ref, onScroll, first, last, offset: first * rowHeight, total: count * rowHeight };
}
