/** A failed action's message, read out as it appears. */
export function Problem({ children, className }: { children: string | null; className?: string }) {
  if (!children) return null;
  return (
    <p role="alert" className={`text-sm text-danger-text ${className ?? ''}`}>
      {children}
    </p>
  );
}
