import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { REAL_CLAUDE_TIMEOUT_MS, startRealClaudeServer } from '../support/real-claude.ts';
import { reply, startScriptedModel, text, toolResults, toolUse, type ScriptedModel } from '../support/scripted-model.ts';
import type { ServerProcess } from '../support/server-process.ts';
import { signIn as signInWithCode, uniqueName, visible } from './support/dashboard.ts';

// The real Claude Code binary against a scripted Messages API, driven from a phone (this file
// runs in the Pixel 7 project only; see playwright.config.ts). The spec starts its own vibes
// server for that, on a free loopback port, and stops it afterwards.

const SCREENSHOTS = 'test-results/screenshots';

let model: ScriptedModel;
let server: ServerProcess;
let claudeHome: string;
const workDirs: string[] = [];

test.describe.configure({ timeout: 3 * REAL_CLAUDE_TIMEOUT_MS });

test.beforeAll(async () => {
  model = await startScriptedModel();
  ({ server, claudeHome } = await startRealClaudeServer(model));
});

test.afterAll(async () => {
  await server?.stop();
  await model?.close();
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
  if (claudeHome) rmSync(claudeHome, { recursive: true, force: true });
});

function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vibes-e2e-real-'));
  workDirs.push(dir);
  return dir;
}

async function signIn(page: Page) {
  await signInWithCode(page, server.url, undefined, server.token());
  await expect(visible(page, 'connection').first()).toHaveAttribute('data-status', 'live');
}

/** Starts a session from the dialog, as a person on the phone does; the page owns it and shows it. */
async function startFromPhone(page: Page, fields: { name: string; prompt: string; cwd: string }, opened?: Locator) {
  if (!opened) await page.getByRole('button', { name: /new/i }).first().click();
  const dialog = opened ?? page.getByRole('dialog', { name: 'New session' });
  await dialog.getByLabel('Prompt').fill(fields.prompt);
  await dialog.getByLabel(/^Name/).fill(fields.name);
  await dialog.getByLabel(/^Working directory/).fill(fields.cwd);
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(dialog).toBeHidden();
  await expect(visible(page, 'session-title')).toHaveText(fields.name);
  return page.getByRole('region', { name: /^Session / });
}

test('an Edit approved on the phone: the diff first, the file changes only then', async ({ page }) => {
  const marker = `[edit-${Math.random().toString(36).slice(2, 8)}]`;
  const cwd = workDir();
  const path = join(cwd, 'greeting.txt');
  const before = [
    '# Greeting',
    '',
    'hello world',
    '',
    'Said every morning, to whoever is listening at the other end of a rather long line.',
    '',
  ].join('\n');
  writeFileSync(path, before);
  const chat = model.script(marker, [
    reply(toolUse('Read', { file_path: path })),
    reply(toolUse('Edit', { file_path: path, old_string: 'hello world', new_string: 'goodbye world' })),
    reply(text('Edited.')),
  ]);
  await signIn(page);
  const view = await startFromPhone(page, { name: uniqueName('real edit'), prompt: `Change the greeting ${marker}`, cwd });

  const card = view.getByTestId('permission-prompt').and(page.locator('[data-tool=Edit]'));
  await expect(card).toBeVisible({ timeout: REAL_CLAUDE_TIMEOUT_MS });
  await expect(card.getByTestId('edit-path')).toHaveText(path);
  const removed = card.locator('[data-testid=diff-line][data-kind=remove]');
  const added = card.locator('[data-testid=diff-line][data-kind=add]');
  await expect(removed).toHaveCount(1);
  await expect(removed).toContainText('hello world');
  await expect(added).toContainText('goodbye world');
  // Context from the file, with its line numbers: line 3 changes.
  await expect(card.locator('[data-testid=diff-line][data-kind=context]').first()).toBeVisible();
  await expect(removed).toContainText('3');
  await expect(view.getByTestId('tool-call').and(page.locator('[data-tool=Edit]')).getByTestId('tool-status')).toHaveText(
    'waiting for approval',
  );
  // Shown, not yet done.
  expect(readFileSync(path, 'utf8')).toBe(before);
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}/real-pixel-7-edit-diff.png` });

  await card.getByRole('button', { name: 'Allow', exact: true }).click();
  await expect(view.getByTestId('turn-complete')).toHaveCount(1, { timeout: REAL_CLAUDE_TIMEOUT_MS });
  expect(readFileSync(path, 'utf8')).toBe(before.replace('hello world', 'goodbye world'));
  await expect(view.getByTestId('tool-call').and(page.locator('[data-tool=Edit]')).getByTestId('decision')).toHaveText('allowed by you');
  const [told] = toolResults(chat.requests[2]!);
  expect(told).toMatchObject({ is_error: false });
});

test('an AskUserQuestion choice made on the phone reaches the model', async ({ page }) => {
  const marker = `[ask-${Math.random().toString(36).slice(2, 8)}]`;
  const chat = model.script(marker, [
    reply(
      toolUse('AskUserQuestion', {
        questions: [
          {
            question: 'Tabs or spaces?',
            header: 'Indent',
            multiSelect: false,
            options: [
              { label: 'tabs', description: 'Indent with tab characters' },
              { label: 'spaces', description: 'Indent with space characters' },
            ],
          },
          {
            question: 'Which checks should run before each commit?',
            header: 'Checks',
            multiSelect: true,
            options: [
              { label: 'lint', description: 'ESLint over the changed files' },
              { label: 'types', description: 'tsc --noEmit' },
              { label: 'unit tests', description: 'vitest run, a few seconds' },
            ],
          },
        ],
      }),
    ),
    reply(text('Noted.')),
  ]);
  await signIn(page);
  const view = await startFromPhone(page, { name: uniqueName('real question'), prompt: `Ask me about style ${marker}`, cwd: workDir() });

  const card = view.getByTestId('permission-prompt').and(page.locator('[data-kind=question]'));
  await expect(card).toBeVisible({ timeout: REAL_CLAUDE_TIMEOUT_MS });
  await expect(card.getByTestId('question-header')).toHaveText(['Indent', 'Checks']);
  await card.getByText('spaces', { exact: true }).click();
  await card.getByText('lint', { exact: true }).click();
  await card.getByTestId('question-other').nth(1).fill('format with prettier');
  await page.screenshot({ path: `${SCREENSHOTS}/real-pixel-7-question.png` });
  await card.getByTestId('send-answers').click();

  const [, answered] = await chat.waitForRequests(2, REAL_CLAUDE_TIMEOUT_MS);
  const [result] = toolResults(answered!);
  expect(result?.is_error).toBe(false);
  expect(result?.text).toContain('spaces');
  expect(result?.text).toContain('lint, format with prettier');
  await expect(view.getByTestId('turn-complete')).toHaveCount(1, { timeout: REAL_CLAUDE_TIMEOUT_MS });
  await expect(view.getByTestId('tool-call').getByTestId('decision')).toContainText('allowed by you');
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  expect(widths.page).toBeLessThanOrEqual(widths.screen);
});

test('allow always on a Bash command: the rule in words, and the same command runs again without asking', async ({ page }) => {
  const marker = `[always-${Math.random().toString(36).slice(2, 8)}]`;
  const cwd = workDir();
  const touch = () => reply(toolUse('Bash', { command: 'touch first.txt', description: 'Create first.txt' }));
  // One conversation: the second prompt continues it, so its replies follow in the same script.
  model.script(marker, [touch(), reply(text('Made it.')), touch(), reply(text('Again.'))]);
  await signIn(page);
  const view = await startFromPhone(page, { name: uniqueName('real always'), prompt: `Make a file ${marker}`, cwd });

  const card = view.getByTestId('permission-prompt').and(page.locator('[data-tool=Bash]'));
  await expect(card).toBeVisible({ timeout: REAL_CLAUDE_TIMEOUT_MS });
  await expect(card.getByTestId('command-text')).toHaveText('touch first.txt');
  await expect(card.getByTestId('command-cwd')).toContainText(cwd);
  const offers = card.getByTestId('suggestion');
  await expect(offers.first()).toBeVisible();
  await expect(offers.first()).toContainText('touch first.txt');
  await card.getByTestId('allow-always').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}/real-pixel-7-allow-always.png` });
  await card.getByRole('button', { name: 'Allow and don’t ask again' }).click();
  await expect(view.getByTestId('turn-complete')).toHaveCount(1, { timeout: REAL_CLAUDE_TIMEOUT_MS });
  await expect(view.getByTestId('tool-call').getByTestId('decision')).toContainText('won’t ask again');

  // The same command again, in the same session: no request this time.
  rmSync(join(cwd, 'first.txt'), { force: true });
  await view.getByTestId('composer').fill('Once more');
  await view.getByTestId('composer').press('Enter');
  await expect(view.getByTestId('turn-complete')).toHaveCount(2, { timeout: REAL_CLAUDE_TIMEOUT_MS });
  await expect(view.getByTestId('tool-call')).toHaveCount(2);
  await expect(view.getByTestId('tool-call').nth(1).getByTestId('tool-status')).toHaveText('done');
  await expect(view.getByTestId('tool-call').nth(1).getByTestId('decision')).toHaveCount(0);
  expect(existsSync(join(cwd, 'first.txt'))).toBe(true);
});

test('a plan approved on the phone with auto-accept: the mode switches and the next Edit runs without asking', async ({ page }) => {
  const marker = `[plan-${Math.random().toString(36).slice(2, 8)}]`;
  const cwd = workDir();
  const path = join(cwd, 'math.js');
  writeFileSync(path, 'export const add = (a, b) => a + b;\n');
  const plan = ['# Add multiply to math.js', '', '1. Add `multiply(a, b)` beside `add`.', '2. Nothing else changes.'].join('\n');
  model.script(marker, [
    reply(toolUse('Read', { file_path: path })),
    reply(toolUse('ExitPlanMode', { plan })),
    reply(toolUse('Edit', { file_path: path, old_string: 'a + b;', new_string: 'a + b;\nexport const multiply = (a, b) => a * b;' })),
    reply(text('Added multiply.')),
  ]);
  await signIn(page);
  await page.getByRole('button', { name: /new/i }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New session' });
  await dialog.getByTestId('new-mode').selectOption('plan');
  const view = await startFromPhone(page, { name: uniqueName('real plan'), prompt: `Plan multiply ${marker}`, cwd }, dialog);
  await expect(view.getByTestId('mode-select')).toHaveValue('plan');

  const card = view.getByTestId('permission-prompt').and(page.locator('[data-kind=plan]'));
  await expect(card).toBeVisible({ timeout: REAL_CLAUDE_TIMEOUT_MS });
  await expect(card.getByTestId('plan').getByRole('heading', { name: 'Add multiply to math.js' })).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/real-pixel-7-plan.png` });
  await card.getByTestId('plan-accept-edits').click();

  await expect(view.getByTestId('turn-complete')).toHaveCount(1, { timeout: REAL_CLAUDE_TIMEOUT_MS });
  await expect(view.getByTestId('mode-select')).toHaveValue('acceptEdits');
  expect(readFileSync(path, 'utf8')).toContain('export const multiply');
  // The Edit ran without a request of its own.
  const edit = view.getByTestId('tool-call').and(page.locator('[data-tool=Edit]'));
  await expect(edit.getByTestId('tool-status')).toHaveText('done');
  await expect(edit.getByTestId('decision')).toHaveCount(0);
});
