import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeClaudePath, resolveClaudeExecutable } from '../../../../lib/core/claude/index.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function binDir(files: Record<string, number>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vibes-bin-'));
  dirs.push(dir);
  for (const [name, mode] of Object.entries(files)) {
    writeFileSync(join(dir, name), '#!/bin/sh\n');
    chmodSync(join(dir, name), mode);
  }
  return dir;
}

describe('which claude runs', () => {
  it('VIBES_CLAUDE_PATH wins over PATH', () => {
    const dir = binDir({ claude: 0o755 });
    expect(resolveClaudeExecutable({ VIBES_CLAUDE_PATH: '/opt/claude', PATH: dir })).toBe('/opt/claude');
  });

  it('else the first executable claude on PATH', () => {
    const notExecutable = binDir({ claude: 0o644 });
    const executable = binDir({ claude: 0o755 });
    expect(resolveClaudeExecutable({ PATH: `${notExecutable}:${executable}`, VIBES_CLAUDE_PATH: '' })).toBe(join(executable, 'claude'));
  });

  it('else undefined: the SDK runs the binary it ships', () => {
    expect(resolveClaudeExecutable({ PATH: binDir({ other: 0o755 }) })).toBeUndefined();
    expect(resolveClaudeExecutable({})).toBeUndefined();
  });

  it('the fake Claude ships in lib as an absolute path to an existing .mjs', () => {
    const path = fakeClaudePath();
    expect(isAbsolute(path)).toBe(true);
    expect(path.endsWith(join('lib', 'fake-claude', 'fake-claude.mjs'))).toBe(true);
    expect(existsSync(path)).toBe(true);
  });
});
