'use client';

import type { CSSProperties, ReactNode } from 'react';
import { useWindowed } from '../../_hooks/use-windowed.ts';

/** A long list in a scrolling box, windowed: only the rows in view are mounted, however many there are. */
export function WindowedList<T>({
  items,
  rowHeight,
  label,
  overflow,
  testId,
  keyOf,
  styleOf,
  before,
  children,
}: {
  items: readonly T[];
  rowHeight: number;
  label: string;
  overflow: 'overflow-auto' | 'overflow-y-auto';
  testId: string;
  keyOf: (item: T) => string;
  styleOf?: (item: T) => CSSProperties;
  /** Shown at the top of the box, above the rows. */
  before?: ReactNode;
  children: (item: T) => ReactNode;
}) {
  const { ref, onScroll, first, last, offset, total } = useWindowed(items.length, rowHeight, 10);
  return (
    <div ref={ref} onScroll={onScroll} className={`min-h-0 flex-1 overscroll-contain ${overflow}`} data-testid={testId}>
      {before}
      <div style={{ height: total }}>
        <ul style={{ transform: `translateY(${offset}px)` }} aria-label={label}>
          {items.slice(first, last).map((item) => (
            <li key={keyOf(item)} style={{ height: rowHeight, ...styleOf?.(item) }}>
              {children(item)}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
