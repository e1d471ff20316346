import type { Hook } from '@oclif/core';

/** `vibes sesions list`: say it is not a command and suggest the nearest one, as git and gh do. */
const hook: Hook<'command_not_found'> = function ({ id, config }) {
  const typed = id.replaceAll(':', ' ');
  const commands = config.commands.filter((command) => !command.hidden).map((command) => command.id);
  const nearest = closestCommand(id, commands);
  const hint = nearest === undefined ? '' : ` Did you mean \`${config.bin} ${nearest.replaceAll(':', ' ')}\`?`;
  process.stderr.write(`${config.bin}: "${typed}" is not a ${config.bin} command.${hint} Run \`${config.bin} --help\` for the list.\n`);
  this.exit(2);
  return Promise.resolve();
};

export default hook;

/** The command closest to what was typed, if one is close enough to be what was meant. */
export function closestCommand(typed: string, commands: readonly string[]): string | undefined {
  let best: { id: string; distance: number } | undefined;
  for (const id of commands) {
    const distance = editDistance(typed, id);
    if (!best || distance < best.distance) best = { id, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(typed.length / 3)) ? best.id : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
