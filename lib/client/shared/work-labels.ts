// Words for a session's work (changes, files, undo), shown by the dashboard and fit for the CLI.

export { changesSummary, plural } from './changes-summary.ts';

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

/** "512 B", "12 KB", "3.2 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
