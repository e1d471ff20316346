import type { HTMLAttributes } from 'react';
import type { EndLook, StateLook } from '../../../lib/client/shared/labels.ts';

/** The session states' tones (lib/client/shared/labels.ts), and the modes' and owners'. */
export type BadgeTone = StateLook['tone'] | EndLook['tone'] | 'neutral' | 'info' | 'accent' | 'accent-soft' | 'danger';

/** The one badge: a word, often with an icon, in a pill coloured by its tone (never by colour alone). */
export function Badge({ tone = 'neutral', className, ...props }: HTMLAttributes<HTMLSpanElement> & { tone?: BadgeTone }) {
  return <span data-tone={tone} className={`vibes-badge ${className ?? ''}`} {...props} />;
}
