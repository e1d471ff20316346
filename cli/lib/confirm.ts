import { createInterface } from 'node:readline/promises';
import { UserError } from './user-error.ts';

/**
 * Bypassing permissions lets Claude run anything without asking: confirmed every time, by
 * typing "yes" in a terminal, or with --yes where nobody can type.
 */
export function confirmBypass(
  yes: boolean,
  stdin: NodeJS.ReadStream = process.stdin,
  stderr: NodeJS.WriteStream = process.stderr,
): Promise<void> {
  return confirmAction(
    {
      yes,
      warning: 'Bypassing permissions lets Claude run any command and edit any file without asking',
      notConfirmed: 'Not confirmed: the permission mode stays as it was.',
    },
    stdin,
    stderr,
  );
}

/** An action that cannot be taken back: the user types "yes" in a terminal, or passes --yes where nobody can type. */
export async function confirmAction(
  action: { yes: boolean; warning: string; notConfirmed: string },
  stdin: NodeJS.ReadStream = process.stdin,
  stderr: NodeJS.WriteStream = process.stderr,
): Promise<void> {
  if (action.yes) return;
  if (!stdin.isTTY) throw new UserError(`${action.warning}; add --yes to confirm.`, 'CONFIRMATION_NEEDED');
  const rl = createInterface({ input: stdin, output: stderr });
  try {
    const answer = await rl.question(`${action.warning}. Type yes to go on: `);
    if (answer.trim().toLowerCase() !== 'yes') throw new UserError(action.notConfirmed, 'NOT_CONFIRMED');
  } finally {
    rl.close();
  }
}
