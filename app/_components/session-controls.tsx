'use client';

import dynamic from 'next/dynamic';
import { useState } from 'react';
import useSWR from 'swr';
import { MODE_LABELS } from '../../lib/client/shared/permission-modes.ts';
import type { PermissionMode, SessionInfo } from '../../lib/protocol/index.ts';
import { useLive } from './live-provider.tsx';

const BypassDialog = dynamic(() => import('./bypass-dialog.tsx'), { ssr: false });

/** The modes a person may pick here: bypass only when the server's operator allowed it. */
export function offeredModes(allowBypass: boolean, current: PermissionMode): PermissionMode[] {
  const modes: PermissionMode[] = ['default', 'acceptEdits', 'plan'];
  if (allowBypass || current === 'bypassPermissions') modes.push('bypassPermissions');
  return modes;
}

/** Permission mode and model of a running session, changed live; bypass asks first, every time. */
export function SessionControls({ session }: { session: SessionInfo }) {
  const { api, allowBypass, noteError } = useLive();
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const live = session.ended_at === null && session.state !== 'finished';

  const setMode = (mode: PermissionMode) => {
    setProblem(null);
    api.setPermissionMode(session.id, mode, 'web').catch((error: unknown) => {
      noteError(error);
      setProblem(error instanceof Error ? error.message : String(error));
    });
  };

  return (
    <div className="flex w-full min-w-0 flex-wrap items-center gap-2">
      <label className="min-w-0 flex-1">
        <span className="sr-only">Permission mode</span>
        <select
          data-testid="mode-select"
          className={`vibes-input min-h-11 w-full py-1 ${session.permission_mode === 'bypassPermissions' ? 'border-red-700 font-semibold text-red-800 dark:text-red-300' : ''}`}
          value={session.permission_mode}
          disabled={!live}
          onChange={(event) => {
            const mode = event.target.value as PermissionMode;
            if (mode === 'bypassPermissions') setAsking(true);
            else setMode(mode);
          }}
        >
          {offeredModes(allowBypass, session.permission_mode).map((mode) => (
            <option key={mode} value={mode}>
              {MODE_LABELS[mode]}
            </option>
          ))}
        </select>
      </label>
      <ModelSelect session={session} live={live} onProblem={setProblem} />
      {problem && (
        <p role="alert" className="w-full text-red-700 dark:text-red-300">
          {problem}
        </p>
      )}
      {asking && <BypassDialog open={asking} setOpen={setAsking} onConfirm={() => setMode('bypassPermissions')} />}
    </div>
  );
}

function ModelSelect({ session, live, onProblem }: { session: SessionInfo; live: boolean; onProblem: (problem: string | null) => void }) {
  const { api, noteError } = useLive();
  // Claude says which models it supports once it runs (it has named its session); until then the current one is all there is.
  const running = live && session.claude_session_id !== null;
  const { data: models } = useSWR(running ? ['models', session.id, session.claude_session_id] : null, () => api.listModels(session.id), {
    revalidateOnFocus: false,
    shouldRetryOnError: false,
    onError: noteError,
  });
  const current = session.model ?? '';
  const options = models ?? [];
  const known = options.some((model) => model.value === current);
  return (
    <label className="min-w-0 flex-1">
      <span className="sr-only">Model</span>
      <select
        data-testid="model-select"
        className="vibes-input min-h-11 w-full py-1"
        value={current}
        disabled={!live || options.length === 0}
        onChange={(event) => {
          onProblem(null);
          api.setModel(session.id, event.target.value, 'web').catch((error: unknown) => {
            noteError(error);
            onProblem(error instanceof Error ? error.message : String(error));
          });
        }}
      >
        {!known && <option value={current}>{current || 'Claude’s default'}</option>}
        {options.map((model) => (
          <option key={model.value} value={model.value} title={model.description}>
            {model.display_name}
          </option>
        ))}
      </select>
    </label>
  );
}
