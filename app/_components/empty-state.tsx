'use client';

import { useAsyncAction } from '../_hooks/use-async-action.ts';
import { NewSessionButton } from './dialog-buttons.tsx';
import { useLive } from './live-provider.tsx';
import { Button } from './ui/button.tsx';
import { Problem } from './ui/problem.tsx';

/** No session yet, live or ended: how to start one, from a terminal or right here. */
export default function EmptyState({ onOpen }: { onOpen: (id: string) => void }) {
  return (
    <div className="p-6 text-center" data-testid="empty-state">
      <p className="font-semibold">No sessions yet</p>
      <p className="mt-2 text-sm text-muted">Start one from a terminal:</p>
      <pre className="mt-2 overflow-x-auto rounded-lg bg-surface-sunken p-3 text-left text-sm">
        <code>vibes claude &quot;your prompt&quot;</code>
      </pre>
      <p className="mt-3 text-sm text-muted">or right here:</p>
      <div className="mt-2 flex flex-wrap justify-center gap-2">
        <NewSessionButton onCreated={onOpen} />
        <TryDemoButton onCreated={onOpen} />
      </div>
      <p className="mt-2 text-xs text-muted">The demo’s Claude is a stand-in: no account needed, nothing runs on this machine.</p>
    </div>
  );
}

/** Starts a demo session at once: the stand-in Claude asks for a command, then answers in Markdown. */
function TryDemoButton({ onCreated }: { onCreated: (id: string) => void }) {
  const { api, clientId } = useLive();
  const starting = useAsyncAction(async () => {
    const session = await api.createSession({ source: 'web', demo: true, prompt: DEMO_PROMPT });
    onCreated(session.id);
  });
  return (
    <>
      <Button disabled={!clientId || starting.busy} onClick={() => void starting.run()} data-testid="try-demo">
        {starting.busy ? 'Starting…' : 'Try the demo'}
      </Button>
      <Problem className="w-full">{starting.error}</Problem>
    </>
  );
}

/** Words the demo's Claude plays: it asks to run a command (see lib/fake-claude), then replies with a table and code. */
const DEMO_PROMPT = 'Show me around: run a bash command, then answer in markdown';
