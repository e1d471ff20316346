import type { ButtonHTMLAttributes } from 'react';

export type ButtonVariant = 'default' | 'primary' | 'danger' | 'ghost';

const VARIANT: Record<ButtonVariant, string> = {
  default: '',
  primary: 'vibes-button-primary',
  danger: 'vibes-button-danger',
  ghost: 'vibes-button-ghost',
};

/** The one button: 44 px high for a thumb, a visible focus ring, and a variant by role. */
export function Button({
  variant = 'default',
  className,
  type = 'button',
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant }) {
  return <button type={type} className={`vibes-button ${VARIANT[variant]} ${className ?? ''}`} {...props} />;
}
