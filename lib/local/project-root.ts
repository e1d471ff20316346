import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Manifest {
  name?: string;
  version?: string;
}

/** The folder holding vibes' package.json, from wherever this module was loaded (source or dist). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (readManifest(dir)?.name === 'vibes') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('vibes: cannot find the project folder (package.json named "vibes")');
    dir = parent;
  }
}

export function projectVersion(): string {
  return readManifest(projectRoot())?.version ?? '0.0.0';
}

function readManifest(dir: string): Manifest | null {
  const path = join(dir, 'package.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Manifest) : null;
}
