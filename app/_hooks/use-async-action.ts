'use client';

import { useCallback, useState } from 'react';
import { useLive } from '../_components/live-provider.tsx';
import { errorMessage } from '../../lib/protocol/text.ts';

export interface AsyncAction<Args extends unknown[], Result> {
  /** Runs the action; resolves to its result, or to undefined when it failed (the error is in `error`). */
  run: (...args: Args) => Promise<Result | undefined>;
  busy: boolean;
  error: string | null;
  setError: (error: string | null) => void;
}

/**
 * Busy while an action runs, its failure kept as words to show: the pattern every button that
 * calls the server follows. A 401 signs the page out (through noteError).
 */
export function useAsyncAction<Args extends unknown[], Result>(
  action: (...args: Args) => Promise<Result>,
  describe: (error: unknown) => string = errorMessage,
): AsyncAction<Args, Result> {
  const { noteError } = useLive();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (...args: Args) => {
      setBusy(true);
      setError(null);
      try {
        return await action(...args);
      } catch (caught) {
        noteError(caught);
        setError(describe(caught));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [action, describe, noteError],
  );
  return { run, busy, error, setError };
}
