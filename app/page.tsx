import { Suspense } from 'react';
import { Dashboard } from './_components/dashboard.tsx';

export default function Home() {
  return (
    <Suspense fallback={<p className="p-6 text-muted">Loading…</p>}>
      <Dashboard />
    </Suspense>
  );
}
