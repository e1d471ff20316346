import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { decompressionBomb, elfExecutable, png } from '../support/images.ts';
import { createFromDialog, openDashboard, uniqueName, test } from './support/dashboard.ts';

const SCREENSHOTS = 'test-results/screenshots';

const sessionRegion = (page: Page) => page.getByRole('region', { name: /^Session / });

async function expectNoSeriousViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(
    serious.map(
      (violation) => `${what}: ${violation.id} (${violation.impact}) ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}

test('attach a photo and a file, remove one, send: the image reaches Claude and shows in the transcript', async ({
  page,
  scriptApi,
}, testInfo) => {
  test.setTimeout(90_000);
  await openDashboard(page);
  const name = uniqueName('attachments');
  await createFromDialog(page, { name });
  const view = sessionRegion(page);

  await view.getByTestId('attach-button').click();
  const sheet = view.getByTestId('attach-sheet');
  await expect(sheet).toBeVisible();
  await expect(sheet.getByText('Take a photo')).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/${testInfo.project.name}-attach-sheet.png` });
  await expectNoSeriousViolations(page, 'attach sheet');
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  await view.getByTestId('attach-button').click();

  // A photo larger than Claude takes: scaled to 1568 px on its long edge before it leaves the page.
  await sheet.getByTestId('attach-photos').setInputFiles({ name: 'whiteboard.png', mimeType: 'image/png', buffer: png(3000, 2000) });
  await expect(sheet).toBeHidden();
  const tray = view.getByTestId('attachment-tray');
  await expect(tray.getByTestId('pending-attachment')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(tray).toContainText('1568×1045');
  await expect(tray).toContainText('whiteboard.jpg');

  await view.getByTestId('attach-button').click();
  await view
    .getByTestId('attach-files')
    .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not this one\n') });
  await expect(tray.getByTestId('pending-attachment')).toHaveCount(2);
  await expectNoSeriousViolations(page, 'attachments before sending');
  await tray.getByRole('button', { name: 'Remove notes.txt' }).click();
  await expect(tray.getByTestId('pending-attachment')).toHaveCount(1);

  await view.getByTestId('composer').fill('what does the whiteboard say?');
  await view.getByTestId('send-button').click();
  await expect(tray).toBeHidden();
  const thumbnail = view.getByTestId('attachment-thumbnail');
  await expect(thumbnail).toBeVisible();
  // Fetched by URL from the server: loaded, not broken.
  await expect.poll(() => thumbnail.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBe(1568);
  await expect(view.getByTestId('assistant-text').filter({ hasText: 'I see 1 image (image/jpeg).' })).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: `${SCREENSHOTS}/${testInfo.project.name}-image-in-transcript.png` });
  await expectNoSeriousViolations(page, 'image in the transcript');

  // Every viewer sees it: the transcript carries it for anyone who reads it.
  const viewer = await scriptApi('viewer');
  const id = (await viewer.listSessions()).find((session) => session.name === name)!.id;
  const { events } = await viewer.events(id);
  expect(events.find((entry) => entry.event.type === 'user_input')?.event).toMatchObject({
    attachments: [{ kind: 'image', media_type: 'image/jpeg', width: 1568, height: 1045 }],
  });
});

test('refused files say why and hold the message back until removed', async ({ page }) => {
  test.setTimeout(60_000);
  await openDashboard(page);
  await createFromDialog(page, { name: uniqueName('bad attachments') });
  const view = sessionRegion(page);
  await view.getByTestId('attach-button').click();
  await view.getByTestId('attach-files').setInputFiles([
    { name: 'cat.png', mimeType: 'image/png', buffer: elfExecutable() },
    { name: 'bomb.png', mimeType: 'image/png', buffer: decompressionBomb() },
  ]);
  const items = view.getByTestId('pending-attachment');
  await expect(items.filter({ hasText: 'cat.png' })).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
  await expect(items.filter({ hasText: 'cat.png' })).toContainText('Only PNG, JPEG, GIF and WebP images');
  await expect(items.filter({ hasText: 'bomb.png' })).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
  await expect(items.filter({ hasText: 'bomb.png' })).toContainText('50000×50000');
  await view.getByTestId('composer').fill('hello');
  await expect(view.getByTestId('send-button')).toBeDisabled();
  await view.getByRole('button', { name: 'Remove cat.png' }).click();
  await view.getByRole('button', { name: 'Remove bomb.png' }).click();
  await expect(view.getByTestId('send-button')).toBeEnabled();
});

test('on a computer, an image pasted into the message box or dropped on it is attached', { tag: '@desktop' }, async ({ page }) => {
  await openDashboard(page);
  await createFromDialog(page, { name: uniqueName('paste') });
  const view = sessionRegion(page);
  await view.getByTestId('composer').evaluate(
    (field, bytes) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(bytes)], 'pasted.png', { type: 'image/png' }));
      field.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    },
    [...png(40, 30)],
  );
  await expect(view.getByTestId('pending-attachment')).toHaveAttribute('data-status', 'ready');
  await expect(view.getByTestId('pending-attachment')).toContainText('40×30');

  // A slow network: the answer to the send is held back while the next image is dropped. The sent one leaves the tray as
  // the message leaves; the dropped one stays for the next message once the answer comes.
  let answer!: () => void;
  const held = new Promise<void>((resolve) => (answer = resolve));
  await page.route('**/api/sessions/*/input', async (route) => {
    await held;
    await route.continue();
  });
  await view.getByTestId('send-button').click();
  await expect(view.getByTestId('pending-attachment')).toHaveCount(0);
  const dropped = await page.evaluateHandle(
    (bytes) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(bytes)], 'dropped.png', { type: 'image/png' }));
      return data;
    },
    [...png(24, 12)],
  );
  await view.getByTestId('composer').dispatchEvent('drop', { dataTransfer: dropped });
  await expect(view.getByTestId('pending-attachment')).toContainText('24×12');
  answer();
  await expect(view.getByTestId('assistant-text').filter({ hasText: 'I see 1 image (image/png).' })).toBeVisible({ timeout: 30_000 });
  // Enabled once the send has its answer (and the dropped image is stored): by then the tray has settled.
  await expect(view.getByTestId('send-button')).toBeEnabled();
  await expect(view.getByTestId('pending-attachment')).toHaveCount(1);
  await expect(view.getByTestId('pending-attachment')).toContainText('24×12');
});
