// Apart from work-labels.ts: the session card shows the summary, so this is in the first load.

export const plural = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;

/** "3 files +12 −4": a session's changes in a card's corner. */
export function changesSummary(changes: { files: number; additions: number; deletions: number }): string {
  return `${plural(changes.files, 'file')} +${changes.additions.toLocaleString('en-US')} −${changes.deletions.toLocaleString('en-US')}`;
}
