import { Suspense } from 'react';
import { Dashboard } from './_components/dashboard.tsx';

export default function Home() {
  return (
    <Suspense fallback={<p className="p-6 text-neutral-600 dark:text-neutral-400">Loading…</p>}>
      <Dashboard />
    </Suspense>
  );
}
