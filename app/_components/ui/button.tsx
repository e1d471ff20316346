import type { ComponentProps } from 'react';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost';
/** md: a thumb's 44 px with room for a word; sm: the same height, small text (actions under a message); icon: a glyph. */
export type ButtonSize = 'md' | 'sm' | 'icon';

/** The button's classes, for an element that must look like one without being one (a label that opens a file picker). */
export function buttonClass(variant: ButtonVariant = 'secondary', size: ButtonSize = 'md', className = ''): string {
  return `vibes-button vibes-button-${variant} vibes-button-${size} ${className}`;
}

/** The one button: 44 px high for a thumb, a visible focus ring, and a variant by role. */
export function Button({
  variant,
  size,
  className,
  type = 'button',
  ...props
}: ComponentProps<'button'> & { variant?: ButtonVariant; size?: ButtonSize }) {
  return <button type={type} className={buttonClass(variant, size, className)} {...props} />;
}
