import { stat } from 'node:fs/promises';
import { VibesError } from './errors.ts';

/** A session's working directory must exist and be a directory, or nothing starts (INVALID_CWD). */
export async function requireDirectory(path: string): Promise<void> {
  const stats = await stat(path).catch(() => null);
  if (!stats) throw new VibesError('INVALID_CWD', `The working directory ${path} does not exist`);
  if (!stats.isDirectory()) throw new VibesError('INVALID_CWD', `The working directory ${path} is not a directory`);
}
