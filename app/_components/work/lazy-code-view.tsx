'use client';

import { useEffect, useState, type ComponentProps, type ReactNode } from 'react';
import { ApiError } from '../../../lib/client/shared/api-error.ts';
import type * as CodeViewModuleType from './code-view.tsx';
import { Button } from '../ui/button.tsx';
import { errorMessage } from '../../../lib/protocol/text.ts';

type CodeViewModule = typeof CodeViewModuleType;
let loaded: CodeViewModule | null = null;
const loadCodeView = () => import('./code-view.tsx').then((module) => (loaded = module));

/**
 * The code view, fetched when the first diff or file opens: the highlighter is not in the first
 * load. Not through next/dynamic: its Suspense would hold the first diff back (React throttles a
 * fallback's reveal) even when the code has long arrived.
 */
export function CodeView(props: ComponentProps<CodeViewModule['default']>) {
  const [module, setModule] = useState(loaded);
  useEffect(() => {
    if (!module) void loadCodeView().then(setModule);
  }, [module]);
  if (!module) return <Loading what="the viewer" />;
  const View = module.default;
  return <View {...props} />;
}

/** A diff or file is opening: fetch the viewer's code beside its text, not after it. */
export function usePreloadViewer() {
  useEffect(() => {
    void loadCodeView();
  }, []);
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="p-3 text-sm text-muted" role="status">
      Loading {what}…
    </p>
  );
}

/** What a refusal means, before the server's own words. */
const LEAD: Partial<Record<string, string>> = {
  PATH_OUTSIDE: 'Outside the session’s folder',
  PATH_FORBIDDEN: 'Not shown, to keep it safe',
  NOT_FOUND: 'Not there (any more)',
  INVALID_PATH: 'Not a valid path',
  FILE_TOO_LARGE: 'Too large to show',
  NETWORK: 'No connection',
};

/** A failed read, said plainly: which rule refused it and the server's explanation. */
export function WorkProblem({ error, className = '' }: { error: unknown; className?: string }) {
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : 'INTERNAL';
  const message = errorMessage(error);
  const lead = LEAD[code];
  return (
    <p role="alert" className={`text-sm text-danger-text ${className}`} data-testid="work-problem" data-code={code}>
      {lead && <span className="font-semibold">{lead}: </span>}
      {message}
    </p>
  );
}

/** The bar above a diff or a file: back to the list, the path, and a line of facts under it. */
export function PathBar({
  path,
  backLabel,
  onBack,
  testId,
  children,
}: {
  path: string;
  backLabel: string;
  onBack: () => void;
  testId: string;
  children?: ReactNode;
}) {
  return (
    <div className="flex min-w-0 items-center gap-2 border-b border-border px-1 py-1 sm:px-2">
      <Button variant="ghost" onClick={onBack} aria-label={backLabel} className="px-2">
        <span aria-hidden="true">←</span>
      </Button>
      <div className="min-w-0 flex-1">
        <p className="truncate font-mono text-sm font-semibold" data-testid={testId} title={path}>
          {path}
        </p>
        {children}
      </div>
    </div>
  );
}
