import type { ComponentProps } from 'react';

// 16 px text or more (.vibes-input): phones zoom into smaller fields on focus.

export function Input({ className, ...props }: ComponentProps<'input'>) {
  return <input className={`vibes-input ${className ?? ''}`} {...props} />;
}

export function Textarea({ className, ...props }: ComponentProps<'textarea'>) {
  return <textarea className={`vibes-input ${className ?? ''}`} {...props} />;
}

export function Select({ className, ...props }: ComponentProps<'select'>) {
  return <select className={`vibes-input ${className ?? ''}`} {...props} />;
}
