import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';

// The project's own eslint.config.mjs, so the test also proves where the rule applies; without the
// type-aware rules, whose project service knows only the files on disk, not these snippets.
const eslint = new ESLint({ cwd: resolve(import.meta.dirname, '../../..'), overrideConfig: tseslint.configs.disableTypeChecked });

async function paletteProblems(code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'vibes/no-raw-palette').map((message) => message.message);
}

const SNIPPET = `
export function Example({ on }: { on: boolean }) {
  return (
    <div className="rounded-lg bg-surface-raised text-muted dark:bg-zinc-800">
      <span className={\`border \${on ? 'hover:text-red-500/80' : 'text-fg'}\`}>Hi</span>
      <button className="vibes-button vibes-button-primary">Go</button>
    </div>
  );
}
`;

describe('vibes/no-raw-palette', () => {
  it('fails on raw palette classes and primitive classes in app/, naming the token or primitive to use', { timeout: 60_000 }, async () => {
    const problems = await paletteProblems(SNIPPET, 'app/_components/example.tsx');
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/`dark:bg-zinc-800` is a raw palette colour: use a token by role \(bg-surface,.*text-muted/);
    expect(problems[1]).toMatch(/`hover:text-red-500\/80` is a raw palette colour: .*text-danger-text/);
    expect(problems[2]).toMatch(/`vibes-button` is a primitive's own class: use <Button/);
    expect(problems[3]).toMatch(/`vibes-button-primary`/);
  });

  it('lets the ui primitives, where tokens become classes, use them', { timeout: 60_000 }, async () => {
    expect(await paletteProblems(SNIPPET, 'app/_components/ui/example.tsx')).toEqual([]);
  });

  it('leaves token classes and words that only look alike alone', { timeout: 60_000 }, async () => {
    const code = `export const looks = ['bg-danger-soft text-danger-text', 'border-warning ring-2', 'text-redder', 'a red-500 word', 'vibes-choice'];\n`;
    expect(await paletteProblems(code, 'app/_components/example.ts')).toEqual([]);
  });
});
