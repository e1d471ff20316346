// Words for a session's work (changes, files, undo), shown by the dashboard and fit for the CLI.

export { changesSummary, plural } from './changes-summary.ts';
export { formatBytes } from './labels.ts';

export type FileChangeStatusWord = 'modified' | 'added' | 'deleted' | 'renamed' | 'untracked' | 'type_changed';

/** One letter per status, as `git status --short` shows them, and the word to say it. */
export const CHANGE_STATUS: Record<FileChangeStatusWord, { letter: string; word: string }> = {
  modified: { letter: 'M', word: 'modified' },
  added: { letter: 'A', word: 'added' },
  deleted: { letter: 'D', word: 'deleted' },
  renamed: { letter: 'R', word: 'renamed' },
  untracked: { letter: 'U', word: 'new, not yet in git' },
  type_changed: { letter: 'T', word: 'type changed' },
};
