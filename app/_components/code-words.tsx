import type { ReactNode } from 'react';

/** Plain words with `code` spans, as lib/client writes rules and suggestions. */
export function CodeWords({ text }: { text: string }): ReactNode {
  return text.split('`').map((part, index) =>
    index % 2 === 1 ? (
      <code key={index} className="break-all rounded bg-surface-sunken px-1 font-mono text-[0.9em]">
        {part}
      </code>
    ) : (
      part
    ),
  );
}
