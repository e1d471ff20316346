import { createInterface } from 'node:readline/promises';
import { UserError } from './user-error.ts';

/**
 * Bypassing permissions lets Claude run anything without asking: confirmed every time, by
 * typing "yes" in a terminal, or with --yes where nobody can type.
 */
export async function confirmBypass(
  yes: boolean,
  stdin: NodeJS.ReadStream = process.stdin,
  stderr: NodeJS.WriteStream = process.stderr,
): Promise<void> {
  if (yes) return;
  if (!stdin.isTTY) {
    throw new UserError(
      'Bypassing permissions lets Claude run any command and edit any file without asking; add --yes to confirm.',
      'CONFIRMATION_NEEDED',
    );
  }
  const rl = createInterface({ input: stdin, output: stderr });
  try {
    const answer = await rl.question(
      'Bypassing permissions lets Claude run any command and edit any file without asking. Type yes to go on: ',
    );
    if (answer.trim().toLowerCase() !== 'yes') throw new UserError('Not confirmed: the permission mode stays as it was.', 'NOT_CONFIRMED');
  } finally {
    rl.close();
  }
}
