import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FAKE_CLAUDE_CANDIDATES = [
  // Next to this module's folder in the source tree (and in a build that copies lib/fake-claude).
  '../../fake-claude/fake-claude.mjs',
  // From dist/lib/core/claude back to the source tree, for a build that does not copy it.
  '../../../../lib/fake-claude/fake-claude.mjs',
];

/** The absolute path of the fake Claude executable shipped in lib/fake-claude (the demo runs it). */
export function fakeClaudePath(): string {
  const paths = FAKE_CLAUDE_CANDIDATES.map((candidate) => fileURLToPath(new URL(candidate, import.meta.url)));
  return paths.find((path) => existsSync(path)) ?? (paths[0] as string);
}

/**
 * Which `claude` a session runs: VIBES_CLAUDE_PATH when set, else `claude` on PATH, else
 * undefined, which lets the Agent SDK use the binary it ships.
 */
export function resolveClaudeExecutable(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const configured = env.VIBES_CLAUDE_PATH?.trim();
  if (configured) return configured;
  return findOnPath('claude', env.PATH);
}

/** The first executable file called `command` in the directories of `pathValue`. */
export function findOnPath(command: string, pathValue: string | undefined): string | undefined {
  for (const dir of (pathValue ?? '').split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, command);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there, or not executable: keep looking.
    }
  }
  return undefined;
}
