'use client';

import dynamic from 'next/dynamic';
import { useState } from 'react';
import useSWR from 'swr';
import { PERMISSION_MODE_LABELS } from '../../lib/protocol/labels.ts';
import type { PermissionMode, SessionInfo } from '../../lib/protocol/index.ts';
import { useAsyncAction } from '../_hooks/use-async-action.ts';
import { useLive } from './live-provider.tsx';
import { Select } from './ui/field.tsx';
import { Problem } from './ui/problem.tsx';

const BypassDialog = dynamic(() => import('./bypass-dialog.tsx'), { ssr: false });

/** The modes a person may pick here: bypass only when the server's operator allowed it. */
export function offeredModes(allowBypass: boolean, current: PermissionMode): PermissionMode[] {
  const modes: PermissionMode[] = ['default', 'acceptEdits', 'plan'];
  if (allowBypass || current === 'bypassPermissions') modes.push('bypassPermissions');
  return modes;
}

/** Never narrower than the chosen option (so it reads whole), never wider than the row. */
const SELECT_LABEL = 'max-w-full flex-auto shrink-0';

/** Permission mode and model of a running session, changed live; bypass asks first, every time. */
export function SessionControls({ session }: { session: SessionInfo }) {
  const { api, allowBypass } = useLive();
  const [asking, setAsking] = useState(false);
  const live = session.ended_at === null && session.state !== 'finished';
  const changingMode = useAsyncAction((mode: PermissionMode) => api.setPermissionMode(session.id, mode, 'web'));
  const setMode = (mode: PermissionMode) => void changingMode.run(mode);

  return (
    // `contents`: the selects line up in the caller's row, each as wide as its longest option.
    <div className="contents">
      <label className={SELECT_LABEL}>
        <span className="sr-only">Permission mode</span>
        <Select
          data-testid="mode-select"
          className={`min-h-11 w-full py-1 ${session.permission_mode === 'bypassPermissions' ? 'border-danger font-semibold text-danger-text' : ''}`}
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
              {PERMISSION_MODE_LABELS[mode]}
            </option>
          ))}
        </Select>
      </label>
      <ModelSelect session={session} live={live} />
      <Problem className="w-full">{changingMode.error}</Problem>
      {asking && <BypassDialog open={asking} setOpen={setAsking} onConfirm={() => setMode('bypassPermissions')} />}
    </div>
  );
}

function ModelSelect({ session, live }: { session: SessionInfo; live: boolean }) {
  const { api, noteError } = useLive();
  const changingModel = useAsyncAction((model: string) => api.setModel(session.id, model, 'web'));
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
    <>
      <label className={SELECT_LABEL}>
        <span className="sr-only">Model</span>
        <Select
          data-testid="model-select"
          className="min-h-11 w-full py-1"
          value={current}
          disabled={!live || options.length === 0}
          onChange={(event) => void changingModel.run(event.target.value)}
        >
          {!known && <option value={current}>{current || 'Claude’s default'}</option>}
          {options.map((model) => (
            <option key={model.value} value={model.value} title={model.description}>
              {model.display_name}
            </option>
          ))}
        </Select>
      </label>
      <Problem className="w-full">{changingModel.error}</Problem>
    </>
  );
}
