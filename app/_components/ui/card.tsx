import type { HTMLAttributes, ReactNode } from 'react';

export type CardTone = 'default' | 'attention' | 'selected';

/** The one card: a session in the list, an ended one in the history, a panel in a view. */
export function Card({
  as: Tag = 'div',
  tone = 'default',
  className,
  children,
  ...props
}: HTMLAttributes<HTMLElement> & { as?: 'div' | 'li' | 'section'; tone?: CardTone; children?: ReactNode }) {
  return (
    <Tag data-tone={tone} className={`vibes-card ${className ?? ''}`} {...props}>
      {children}
    </Tag>
  );
}
