import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScriptedModel } from './scripted-model.ts';
import { PROJECT_ROOT, startServerProcess, type ServerProcess, type ServerProcessOptions } from './server-process.ts';

// Free of vitest, so Playwright specs can start the same server.

/** The Claude Code binary the Agent SDK ships (installed by `npm ci`). */
export const REAL_CLAUDE_PATH = join(PROJECT_ROOT, 'node_modules/@anthropic-ai/claude-agent-sdk-linux-x64/claude');

/** Generous bounds: the binary takes seconds to start, and the machine may be busy. */
export const REAL_CLAUDE_TIMEOUT_MS = 60_000;

/**
 * The environment that makes the real `claude` talk only to `modelUrl`: a dummy key, no
 * non-essential traffic, and its own HOME and config dir. Anything Anthropic- or Claude-related
 * in our own environment is left out, so a developer's login can never be used.
 */
export function realClaudeEnv(modelUrl: string, home: string): Record<string, string> {
  return {
    HOME: home,
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    // Its task output files go here rather than /tmp/claude-<uid>, and go away with the home.
    CLAUDE_CODE_TMPDIR: join(home, 'tmp'),
    ANTHROPIC_BASE_URL: modelUrl,
    ANTHROPIC_API_KEY: 'sk-ant-scripted-model-dummy-key',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    // Fewer retries than the default ten keep a scripted failure quick; 3 still shows the retry notes.
    CLAUDE_CODE_MAX_RETRIES: '3',
    VIBES_CLAUDE_PATH: REAL_CLAUDE_PATH,
    VIBES_DEMO: '0',
  };
}

/** The real vibes server running the real `claude` against a scripted model, both on loopback. */
export async function startRealClaudeServer(
  model: ScriptedModel,
  options: ServerProcessOptions & { claudeHome?: string } = {},
): Promise<{ server: ServerProcess; claudeHome: string }> {
  if (!existsSync(REAL_CLAUDE_PATH)) throw new Error(`the real Claude binary is missing at ${REAL_CLAUDE_PATH}: run npm ci`);
  const claudeHome = options.claudeHome ?? mkdtempSync(join(tmpdir(), 'vibes-claude-home-'));
  const server = await startServerProcess({
    ...options,
    baseEnv: withoutClaudeSettings(process.env),
    env: { ...realClaudeEnv(model.url, claudeHome), ...options.env },
  });
  return { server, claudeHome };
}

/** Our environment without anything that could point Claude elsewhere or log it in. */
export function withoutClaudeSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = { ...env };
  for (const key of Object.keys(kept)) if (/^(ANTHROPIC_|CLAUDE_|CLAUDECODE|VIBES_)/.test(key)) delete kept[key];
  return kept;
}
