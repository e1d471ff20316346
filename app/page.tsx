export default function Home() {
  return (
    <main className="mx-auto max-w-xl p-6">
      <h1 className="text-2xl font-semibold">vibes</h1>
      <p className="mt-2 text-neutral-600 dark:text-neutral-400">Remote control for Claude Code.</p>
    </main>
  );
}
