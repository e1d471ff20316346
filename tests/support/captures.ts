import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The real captures the fake Claude replays; they live with it. */
const FIXTURES_DIR = join(import.meta.dirname, '..', '..', 'lib', 'fake-claude', 'captures');

/** What the CLI wrote (stdout) in a capture, from either format (`.stdout.jsonl`, or the wire's provider lane). */
export function captureFrames<Frame = unknown>(file: string): Frame[] {
  return readFileSync(join(FIXTURES_DIR, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { dir?: string; line?: string })
    .flatMap((entry) =>
      typeof entry.dir === 'string'
        ? entry.dir.startsWith('provider')
          ? [JSON.parse(entry.line ?? 'null') as Frame]
          : []
        : [entry as Frame],
    );
}
