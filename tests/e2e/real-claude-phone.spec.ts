import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { startRealClaudeServer } from '../support/real-claude-server.ts';
import { reply, startScriptedModel, text, toolResults, toolUse, type ScriptedModel } from '../support/scripted-model.ts';
import type { ServerProcess } from '../support/server-process.ts';
import { card, openDashboard, TOKEN } from './support/dashboard.ts';

// Its own server, running the real Claude Code binary against a scripted model; the suite's
// webServer runs the fake Claude. Only the Pixel 7 project runs this file (playwright.config.ts).
let model: ScriptedModel;
let server: ServerProcess;
let claudeHome: string;
let workDir: string;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  model = await startScriptedModel();
  ({ server, claudeHome } = await startRealClaudeServer(model, {
    env: { VIBES_TOKEN: TOKEN, VIBES_RATE_LIMIT_PER_SECOND: '1000', VIBES_RATE_LIMIT_BURST: '1000' },
  }));
  workDir = mkdtempSync(join(tmpdir(), 'vibes-e2e-real-'));
});

test.afterAll(async () => {
  await server?.stop();
  await model?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  if (claudeHome) rmSync(claudeHome, { recursive: true, force: true });
});

test('a real Edit waits for the phone, and the file changes only once it is allowed there', async ({ page }) => {
  test.setTimeout(90_000);
  const path = join(workDir, 'greeting.txt');
  writeFileSync(path, 'hello from the desk\n');
  const marker = `[phone-edit-${Date.now()}]`;
  const chat = model.script(marker, [
    reply(toolUse('Read', { file_path: path })),
    reply(toolUse('Edit', { file_path: path, old_string: 'desk', new_string: 'phone' })),
    reply(text('Edited from your phone.')),
  ]);

  await openDashboard(page, '/', server.url);
  const api = new ApiClient({ baseUrl: server.url, token: TOKEN, clientId: 'e2e-real-claude-script' });
  const name = `real edit ${marker}`;
  await api.createSession({ name, prompt: `Change the greeting ${marker}`, cwd: workDir, source: 'api' });

  const sessionCard = card(page, name);
  await expect(sessionCard.getByTestId('session-state')).toHaveAttribute('data-state', 'waiting_permission', { timeout: 60_000 });
  const prompt = sessionCard.getByTestId('permission-prompt');
  await expect(prompt).toContainText(path);
  expect(readFileSync(path, 'utf8')).toBe('hello from the desk\n');

  await prompt.getByRole('button', { name: 'Allow', exact: true }).click();
  await expect(sessionCard.getByTestId('session-state')).toHaveAttribute('data-state', 'idle', { timeout: 60_000 });
  expect(readFileSync(path, 'utf8')).toBe('hello from the phone\n');
  expect(toolResults(chat.requests[2]!)).toMatchObject([{ is_error: false }]);
});
