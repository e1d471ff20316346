'use client';

import { useEffect, useState, type FormEvent } from 'react';
import type { WebApi } from '../../lib/client/web/web-api.ts';
import { recentProjects } from '../../lib/client/shared/organise-calls.ts';
import { MODE_HINTS } from '../../lib/client/shared/permission-modes.ts';
import { PERMISSION_MODE_LABELS } from '../../lib/protocol/labels.ts';
import type { CreateSessionBody, PermissionMode, RecentProject } from '../../lib/protocol/index.ts';
import BypassDialog from './bypass-dialog.tsx';
import { useAsyncAction } from '../_hooks/use-async-action.ts';
import { useLive } from './live-provider.tsx';
import { Input, Select, Textarea } from './ui/field.tsx';
import { Problem } from './ui/problem.tsx';
import { offeredModes } from './session-controls.tsx';
import { CancelAndSubmit, DialogFrame, type DialogOpen } from './ui/dialog.tsx';

/** Loaded on first use, so Radix stays out of the phone's first load. */
export default function NewSessionDialog({ onCreated, open, setOpen }: DialogOpen & { onCreated: (id: string) => void }) {
  const { api, allowBypass, demoDefault } = useLive();
  const [mode, setMode] = useState<PermissionMode>('default');
  const [demo, setDemo] = useState(demoDefault);
  const [confirming, setConfirming] = useState<CreateSessionBody | null>(null);
  const machines = useMachines(api, open);
  const projects = useRecentProjects(api, open);
  const [cwd, setCwd] = useState('');
  const [chosenNode, setChosenNode] = useState<string | null>(null);
  // The machine serving this page, until the user picks another that is still up.
  const node = machines && chosenNode !== null && machines.names.includes(chosenNode) ? chosenNode : (machines?.self ?? null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' && value.trim() ? value.trim() : undefined;
    };
    const prompt = text('prompt');
    const name = text('name');
    const cwd = text('cwd');
    const body: CreateSessionBody = {
      source: 'web',
      ...(prompt ? { prompt } : {}),
      ...(name ? { name } : {}),
      ...(cwd ? { cwd } : {}),
      ...(mode === 'default' ? {} : { permission_mode: mode }),
      ...(node === null ? {} : { node }),
      demo,
    };
    // Bypass is confirmed every time it is chosen.
    if (mode === 'bypassPermissions') setConfirming(body);
    else void create(body);
  }

  const creating = useAsyncAction(async (body: CreateSessionBody) => {
    const session = await api.createSession(body);
    setOpen(false);
    onCreated(session.id);
  });
  const create = creating.run;

  return (
    <DialogFrame open={open} setOpen={setOpen} title="New session">
      <form onSubmit={(event) => void submit(event)} className="mt-3 space-y-3">
        <div>
          <label htmlFor="new-prompt" className="block text-sm font-medium">
            Prompt
          </label>
          <Textarea id="new-prompt" name="prompt" rows={3} className="mt-1 w-full" />
        </div>
        <div>
          <label htmlFor="new-name" className="block text-sm font-medium">
            Name <span className="font-normal text-muted">(optional)</span>
          </label>
          <Input id="new-name" name="name" className="mt-1 w-full" autoComplete="off" />
        </div>
        <div>
          <label htmlFor="new-cwd" className="block text-sm font-medium">
            Working directory <span className="font-normal text-muted">(optional)</span>
          </label>
          <Input
            id="new-cwd"
            name="cwd"
            value={cwd}
            onChange={(event) => setCwd(event.target.value)}
            className="mt-1 w-full font-mono"
            autoComplete="off"
            spellCheck={false}
          />
          {projects.length > 0 && (
            <div className="mt-2 flex flex-wrap gap-2" role="group" aria-label="Recent projects" data-testid="recent-projects">
              {projects.map((project) => (
                <button
                  key={project.cwd}
                  type="button"
                  title={project.cwd}
                  aria-pressed={cwd === project.cwd}
                  onClick={() => setCwd(cwd === project.cwd ? '' : project.cwd)}
                  className={`vibes-choice max-w-full truncate font-mono ${cwd === project.cwd ? 'vibes-choice-on' : ''}`}
                >
                  {project.project}
                </button>
              ))}
            </div>
          )}
        </div>
        {machines && (
          <div>
            <label htmlFor="new-node" className="block text-sm font-medium">
              Machine
            </label>
            <Select
              id="new-node"
              data-testid="new-node"
              value={node ?? machines.self}
              onChange={(event) => setChosenNode(event.target.value)}
              className="mt-1 w-full"
            >
              {machines.names.map((name) => (
                <option key={name} value={name}>
                  {name === machines.self ? `${name} (this one)` : name}
                </option>
              ))}
            </Select>
          </div>
        )}
        <fieldset>
          <legend className="text-sm font-medium">Claude</legend>
          <div className="mt-1 grid grid-cols-2 gap-2" data-testid="new-claude">
            <label className={`vibes-choice ${demo ? '' : 'vibes-choice-on'}`}>
              <input type="radio" name="claude" value="yours" checked={!demo} onChange={() => setDemo(false)} className="sr-only" />
              Yours
            </label>
            <label className={`vibes-choice ${demo ? 'vibes-choice-on' : ''}`}>
              <input type="radio" name="claude" value="demo" checked={demo} onChange={() => setDemo(true)} className="sr-only" />
              Demo
            </label>
          </div>
          <p className="mt-1 text-xs text-muted">
            {demo
              ? 'A stand-in Claude answers: no account needed, nothing runs here. Try “bash”, “edit” or “markdown” in the prompt.'
              : node !== null && node !== machines?.self
                ? `Claude Code on ${node}, with your account.`
                : 'Claude Code on this machine, with your account.'}
          </p>
        </fieldset>
        <div>
          <label htmlFor="new-mode" className="block text-sm font-medium">
            Permission mode
          </label>
          <Select
            id="new-mode"
            data-testid="new-mode"
            value={mode}
            onChange={(event) => setMode(event.target.value as PermissionMode)}
            className="mt-1 w-full"
            aria-describedby="new-mode-hint"
          >
            {offeredModes(allowBypass, 'default').map((option) => (
              <option key={option} value={option}>
                {PERMISSION_MODE_LABELS[option]}
              </option>
            ))}
          </Select>
          <p id="new-mode-hint" className="mt-1 text-xs text-muted">
            {MODE_HINTS[mode]}
          </p>
        </div>
        <Problem>{creating.error}</Problem>
        <div className="flex justify-end gap-2">
          <CancelAndSubmit busy={creating.busy} label="Start" busyLabel="Starting…" />
        </div>
      </form>
      {confirming && <BypassDialog open setOpen={(open) => !open && setConfirming(null)} onConfirm={() => void create(confirming)} />}
    </DialogFrame>
  );
}

/** The folders sessions ran in lately, the most recent first, asked each time the dialog opens; none when they cannot be read. */
function useRecentProjects(api: WebApi, open: boolean): RecentProject[] {
  const [projects, setProjects] = useState<RecentProject[]>([]);
  useEffect(() => {
    if (!open) return;
    let current = true;
    recentProjects(api).then(
      (answer) => current && setProjects(answer),
      () => current && setProjects([]),
    );
    return () => {
      current = false;
    };
  }, [api, open]);
  return projects;
}

/**
 * The machines a session may start on, asked each time the dialog opens: null on a single
 * machine, or in a cluster with only this node up (then there is nothing to choose).
 */
function useMachines(api: WebApi, open: boolean): { self: string; names: string[] } | null {
  const [machines, setMachines] = useState<{ self: string; names: string[] } | null>(null);
  useEffect(() => {
    if (!open) return;
    let current = true;
    api.listNodes().then(
      (answer) => {
        const up = answer.nodes.filter((listed) => listed.state === 'up');
        const self = up.find((listed) => listed.self)?.name;
        if (current)
          setMachines(answer.cluster && self !== undefined && up.length > 1 ? { self, names: up.map((listed) => listed.name) } : null);
      },
      // Without the list the session starts here, as on a single machine.
      () => current && setMachines(null),
    );
    return () => {
      current = false;
    };
  }, [api, open]);
  return machines;
}
