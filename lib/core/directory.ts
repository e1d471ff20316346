import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { VibesError } from './errors.ts';

/** A session's working directory must be absolute, exist and be a directory, or nothing starts (INVALID_CWD). */
export async function requireDirectory(path: string): Promise<void> {
  // A relative path would mean whatever the server's own folder is: say which folder instead.
  if (!isAbsolute(path)) throw new VibesError('INVALID_CWD', `The working directory must be an absolute path, not ${JSON.stringify(path)}`);
  const stats = await stat(path).catch(() => null);
  if (!stats) throw new VibesError('INVALID_CWD', `The working directory ${path} does not exist`);
  if (!stats.isDirectory()) throw new VibesError('INVALID_CWD', `The working directory ${path} is not a directory`);
}
