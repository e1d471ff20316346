import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import { openDashboard, uniqueName, visible } from './support/dashboard.ts';

// The session's work (#25): what changed in its folder, one file's diff, what a turn changed,
// undo, and the folder itself. Each test makes a git repository of its own and starts a demo
// session in it; the test's own writes stand in for what Claude would do.

const SCREENSHOTS = 'test-results/screenshots';

async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: `${SCREENSHOTS}/${testInfo.project.name}-work-${name}.png` });
}

async function expectNoSeriousViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(
    serious.map(
      (violation) => `${what}: ${violation.id} (${violation.impact}) ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}

/** Nothing on the page is wider than the screen: long lines scroll inside their own boxes. */
async function expectNoSidewaysScroll(page: Page) {
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  expect(widths.page).toBeLessThanOrEqual(widths.screen);
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe', timeout: 15_000 }).toString();

const APP_TS = Array.from({ length: 40 }, (_, index) =>
  index === 3
    ? 'const limit = 10; // how many at once'
    : index === 20
      ? 'export function total(items: number[]): number {'
      : index === 21
        ? '  return items.reduce((sum, item) => sum + item, 0);'
        : index === 22
          ? '}'
          : `// line ${index + 1} of a small module that a person would read on a phone`,
).join('\n');

/** A repository with one commit: a TypeScript module, a README, a helper, a notes file and a small binary. */
function makeRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vibes-e2e-work-'));
  mkdirSync(join(dir, 'src', 'util'), { recursive: true });
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'src', 'app.ts'), `${APP_TS}\n`);
  writeFileSync(join(dir, 'src', 'util', 'strings.ts'), 'export const greet = (name: string) => `hello ${name}`;\n');
  writeFileSync(join(dir, 'README.md'), '# Demo\n\nA repository for the work views.\n');
  writeFileSync(join(dir, 'notes.txt'), 'old\n');
  writeFileSync(join(dir, 'assets', 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0, 0, 0, 4]));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'e2e@example.invalid');
  git(dir, 'config', 'user.name', 'e2e');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

const repositories: string[] = [];
test.afterAll(() => {
  for (const dir of repositories) rmSync(dir, { recursive: true, force: true });
});

/** Starts a demo session in `cwd` from the dialog; the page owns it and shows it once its first turn is done. */
async function startIn(page: Page, cwd: string, prompt: string, waitForTurn = true) {
  const name = uniqueName('work');
  await page.getByRole('button', { name: /new/i }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New session' });
  await dialog.getByLabel('Prompt').fill(prompt);
  await dialog.getByLabel(/^Name/).fill(name);
  await dialog.getByLabel(/^Working directory/).fill(cwd);
  await dialog.getByRole('button', { name: 'Start' }).click();
  await expect(dialog).toBeHidden();
  await expect(visible(page, 'session-title')).toHaveText(name);
  const view = page.getByRole('region', { name: /^Session / });
  if (waitForTurn) await expect(view.getByTestId('turn-complete').first()).toBeVisible();
  return view;
}

async function send(view: Locator, text: string) {
  await view.getByRole('textbox', { name: 'Message to Claude' }).fill(text);
  await view.getByRole('button', { name: 'Send' }).click();
}

test('Changes: the changed files against the start and against HEAD, a diff with colour and word marks, a binary summarised', async ({
  page,
}, testInfo) => {
  const repo = makeRepository();
  repositories.push(repo);
  await openDashboard(page);
  const view = await startIn(page, repo, 'hello');

  // What Claude would have done since the session started: an edit, a new file, a deletion (committed), a binary.
  writeFileSync(
    join(repo, 'src', 'app.ts'),
    `${APP_TS.replace('const limit = 10;', 'const limit = 25;').replace('sum + item, 0', 'sum + item * 2, 0')}\nexport const extra = true;\n`,
  );
  writeFileSync(join(repo, 'TODO.md'), '- write the tests\n');
  writeFileSync(join(repo, 'assets', 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 9, 9, 9, 0, 0, 0, 4]));
  git(repo, 'rm', '-q', 'README.md');
  git(repo, 'commit', '-q', '-m', 'drop the readme');

  await view.getByTestId('tab-changes').click();
  const files = view.getByTestId('changed-file');
  // Written between turns, by hand as it were: the list shows it once asked again (a count of the last second is reused).
  await expect(async () => {
    await view.getByTestId('changes-refresh').click();
    await expect(files.and(page.locator('[data-path="src/app.ts"]'))).toBeVisible({ timeout: 1000 });
  }).toPass();
  await expect(files.and(page.locator('[data-path="src/app.ts"]'))).toHaveAttribute('data-status', 'modified');
  await expect(files.and(page.locator('[data-path="TODO.md"]'))).toBeVisible();
  await expect(files.and(page.locator('[data-path="README.md"]'))).toHaveAttribute('data-status', 'deleted');
  await expect(files.and(page.locator('[data-path="assets/logo.png"]'))).toContainText('binary');
  await expect(files.and(page.locator('[data-path="src/app.ts"]'))).toContainText('+');
  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, 'changes');
  await expectNoSeriousViolations(page, 'changes list');

  // One file's diff: numbered lines, coloured, the changed words marked inside the changed lines.
  await files.and(page.locator('[data-path="src/app.ts"]')).click();
  const diff = view.getByTestId('file-diff');
  await expect(diff.getByTestId('file-diff-path')).toHaveText('src/app.ts');
  await expect(diff.locator('[data-testid=diff-line][data-kind=remove]').first()).toContainText('const limit = 10;');
  await expect(diff.locator('[data-testid=diff-line][data-kind=add]').first()).toContainText('const limit = 25;');
  await expect(diff.locator('[data-kind=add] .vibes-word').first()).toHaveText('25');
  await expect(diff.locator('[data-kind=remove] .vibes-word').first()).toHaveText('10');
  await expect(diff.locator('.vibes-tok-keyword').first()).toBeVisible();
  await expect(diff.locator('.vibes-tok-comment').first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, 'diff');
  await expectNoSeriousViolations(page, 'file diff');

  await diff.getByRole('button', { name: 'All changes' }).click();
  await files.and(page.locator('[data-path="assets/logo.png"]')).click();
  await expect(view.getByTestId('diff-summary')).toHaveAttribute('data-omitted', 'binary');
  await view.getByRole('button', { name: 'All changes' }).click();

  // Against HEAD the committed deletion is no change any more.
  await view.getByText('Since the last commit').click();
  await expect(files.and(page.locator('[data-path="src/app.ts"]'))).toBeVisible();
  await expect(files.and(page.locator('[data-path="README.md"]'))).toHaveCount(0);

  // Live: the next turn counts again, the summary changes, and the open list follows it.
  await view.getByText('Since the session started').click();
  await expect(files.and(page.locator('[data-path="README.md"]'))).toBeVisible();
  writeFileSync(join(repo, 'LIVE.md'), 'written while the list is open\n');
  await send(view, 'and once more');
  await expect(files.and(page.locator('[data-path="LIVE.md"]'))).toBeVisible();
  await expect(view.getByTestId('tab-changes-count')).toHaveText('5');
  await expect(visible(page, 'header-changes')).toContainText('5 files');
});

test('Changes outside git: the files this session’s tools wrote, said plainly', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'vibes-e2e-nogit-'));
  repositories.push(dir);
  await openDashboard(page);
  const view = await startIn(page, dir, 'hello');
  await view.getByTestId('tab-changes').click();
  await expect(view.getByTestId('changes-no-git')).toHaveText('Not a git repository: showing the files this session’s tools wrote.');
  // The tabs follow the arrow keys.
  await page.keyboard.press('ArrowRight');
  await expect(view.getByTestId('tab-files')).toHaveAttribute('aria-selected', 'true');
  await expect(view.getByTestId('tab-files')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(view.getByTestId('tab-transcript')).toHaveAttribute('aria-selected', 'true');
});

test('Files: a tree listed as it opens, a name search, a viewer with numbers and colour, links that leave the folder refused', async ({
  page,
}, testInfo) => {
  const repo = makeRepository();
  repositories.push(repo);
  symlinkSync(tmpdir(), join(repo, 'outside'));
  await openDashboard(page);
  const view = await startIn(page, repo, 'hello');

  await view.getByTestId('tab-files').click();
  const entries = view.getByTestId('file-entry');
  await expect(entries.and(page.locator('[data-path="src"]'))).toHaveAttribute('aria-expanded', 'false');
  await expect(entries.and(page.locator('[data-path=".git"]'))).toHaveCount(0);
  // A link that leads outside the folder is listed, and cannot be opened.
  await expect(entries.and(page.locator('[data-path="outside"]'))).toBeDisabled();
  await expect(entries.and(page.locator('[data-path="outside"]'))).toContainText('leads outside the folder');

  // Folders are listed when opened.
  await expect(entries.and(page.locator('[data-path="src/app.ts"]'))).toHaveCount(0);
  await entries.and(page.locator('[data-path="src"]')).click();
  await expect(entries.and(page.locator('[data-path="src"]'))).toHaveAttribute('aria-expanded', 'true');
  await entries.and(page.locator('[data-path="src/app.ts"]')).click();

  const viewer = view.getByTestId('file-viewer');
  await expect(viewer.getByTestId('file-viewer-path')).toHaveText('src/app.ts');
  await expect(viewer.getByTestId('file-line').nth(3)).toContainText('const limit = 10;');
  await expect(viewer.getByTestId('file-line').nth(3)).toContainText('4');
  await expect(viewer.locator('.vibes-tok-keyword').first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, 'file');
  await expectNoSeriousViolations(page, 'file viewer');

  await viewer.getByRole('button', { name: 'All files' }).click();
  await view.getByTestId('file-search').fill('STRINGS');
  await view.getByTestId('file-match').and(page.locator('[data-path="src/util/strings.ts"]')).click();
  await expect(view.getByTestId('file-viewer-path')).toHaveText('src/util/strings.ts');
  await view.getByRole('button', { name: 'All files' }).click();

  // A binary file is named, not shown.
  await view.getByTestId('file-search').fill('logo');
  await view.getByTestId('file-match').and(page.locator('[data-path="assets/logo.png"]')).click();
  await expect(view.getByTestId('file-binary')).toBeVisible();

  // A file that went away between the listing and the tap: the server's refusal in words.
  await view.getByRole('button', { name: 'All files' }).click();
  await view.getByTestId('file-search').fill('');
  unlinkSync(join(repo, 'notes.txt'));
  await entries.and(page.locator('[data-path="notes.txt"]')).click();
  await expect(view.getByTestId('work-problem')).toHaveAttribute('data-code', 'NOT_FOUND');
});

test('A turn’s changes from the transcript, and undo from a message: waits while Claude works, a dry run first, then the result', async ({
  page,
}, testInfo) => {
  const repo = makeRepository();
  repositories.push(repo);
  await openDashboard(page);
  const view = await startIn(page, repo, 'edit the notes', false);
  const edit = view.getByTestId('permission-prompt').and(page.locator('[data-tool=Edit]'));
  await expect(edit).toBeVisible();

  // While the turn runs, undo waits, and says why when tapped.
  const message = view.getByTestId('user-input').first();
  const undo = message.getByTestId('undo-from-here');
  await expect(undo).toHaveAttribute('aria-disabled', 'true');
  // aria-disabled, not disabled: a tap still reaches it and gets the reason (Playwright would wait for it to be enabled).
  await undo.click({ force: true });
  await expect(message.getByTestId('undo-blocked')).toContainText('Claude is working');
  await expect(page.getByTestId('rewind-dialog')).toHaveCount(0);

  // Meanwhile a command changes a file, as Bash would; then the Edit is allowed and the turn ends.
  writeFileSync(join(repo, 'generated.txt'), 'made by a command\n');
  await edit.getByRole('button', { name: 'Allow', exact: true }).click();
  const turn = view.getByTestId('turn-complete').first();
  await expect(turn.getByTestId('turn-files')).toHaveText('2 files changed (1 by commands)');
  await expect(undo).toHaveAttribute('aria-disabled', 'false');

  await turn.getByTestId('turn-files').click();
  const changes = page.getByTestId('turn-changes');
  await expect(changes.getByTestId('turn-file').and(page.locator('[data-path="notes.txt"]'))).toHaveAttribute('data-source', 'tool');
  const byCommand = changes.getByTestId('turn-file').and(page.locator('[data-path="generated.txt"]'));
  await expect(byCommand).toHaveAttribute('data-source', 'other');
  await expect(byCommand.getByTestId('changed-by-command')).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, 'turn');
  await expectNoSeriousViolations(page, 'turn changes');
  await page.keyboard.press('Escape');
  await expect(changes).toBeHidden();
  // The same from the message that started the turn.
  await message.getByTestId('show-turn-changes').click();
  await expect(changes.getByTestId('turn-file')).toHaveCount(2);
  await page.keyboard.press('Escape');

  // The real dry run: the fake Claude keeps no file checkpoints (nothing to restore), and what the command changed cannot be undone.
  const messageId = await message.getAttribute('data-message-id');
  expect(messageId).toBeTruthy();
  await undo.click();
  const rewind = page.getByRole('dialog', { name: 'Undo from here?' });
  await expect(rewind.getByTestId('rewind-not-restorable')).toContainText('generated.txt');
  await expect(rewind.getByTestId('rewind-plan')).toContainText('nothing to undo');
  await expect(rewind.getByTestId('rewind-confirm')).toBeDisabled();
  await page.keyboard.press('Escape');

  // Claude Code restores files from its checkpoints; the server's answers, with such files, drive the same dialog.
  const bodies: unknown[] = [];
  await page.route('**/api/sessions/*/rewind', async (route) => {
    const body = route.request().postDataJSON() as { dry_run?: boolean };
    bodies.push(body);
    const response = await route.fetch();
    const answer = (await response.json()) as Record<string, unknown>;
    const restored = { files_changed: ['notes.txt', 'src/app.ts'], insertions: 3, deletions: 7 };
    await route.fulfill({ response, json: { ...answer, ...restored, skipped_links: body.dry_run ? null : 1 } });
  });
  await undo.click();
  await expect(rewind.getByTestId('rewind-file')).toHaveText(['notes.txt', 'src/app.ts']);
  await expect(rewind.getByTestId('rewind-plan')).toContainText('2 files would change');
  await expect(rewind.getByTestId('not-restorable-file')).toHaveText(['generated.txt']);
  await expect(rewind).toContainText('Changes made by commands (Bash) are not undone');
  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, 'rewind');
  await expectNoSeriousViolations(page, 'rewind confirmation');

  await rewind.getByTestId('rewind-confirm').click();
  const done = page.getByRole('dialog', { name: 'Files rewound' });
  await expect(done.getByTestId('rewind-result')).toContainText('2 files restored');
  await expect(done.getByTestId('rewind-skipped-links')).toContainText('1 symbolic link');
  await screenshot(page, testInfo, 'rewound');
  expect(bodies).toEqual([{ to: messageId, dry_run: true }, { to: messageId }]);
  await done.getByRole('button', { name: 'Close' }).click();
  // The server noted the rewind in the transcript.
  await expect(view.locator('[data-testid=system-note][data-subtype=rewind]')).toContainText('Files rewound to before "edit the notes"');
});
