import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import { card, createFromDialog, openDashboard, openFromList, uniqueName, test } from './support/dashboard.ts';

// The session's screens on a phone while a decision waits (issue #29): the header keeps the title
// and both selects readable, and a decision's answer buttons stay in view however long it is,
// also with the on-screen keyboard open. The fake Claude's `long-plan` and `long-question` words
// make decisions taller than a phone.

const SCREENSHOTS = 'test-results/screenshots';
/** About what Gboard and the iOS keyboard (with its suggestion bar) take of a phone's height. */
const KEYBOARD_PX = 320;

async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: `${SCREENSHOTS}/${testInfo.project.name}-${name}.png` });
}

function sessionView(page: Page) {
  return page.getByRole('region', { name: /^Session / });
}

/** Characters of a one-line, ellipsised text a person can read: all of them, or those left of the ellipsis. */
function visibleChars(locator: Locator): Promise<{ visible: number; total: number }> {
  return locator.evaluate((element) => {
    const text = element.textContent ?? '';
    if (element.scrollWidth <= element.clientWidth) return { visible: text.length, total: text.length };
    const style = getComputedStyle(element);
    const context = document.createElement('canvas').getContext('2d');
    if (context) context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const ellipsis = context?.measureText('…').width ?? 0;
    const right = element.getBoundingClientRect().right - Number.parseFloat(style.paddingRight) - ellipsis;
    const node = document.createTreeWalker(element, NodeFilter.SHOW_TEXT).nextNode();
    if (!node) return { visible: 0, total: text.length };
    const range = document.createRange();
    let visible = 0;
    for (let end = 1; end <= (node.textContent ?? '').length; end += 1) {
      range.setStart(node, end - 1);
      range.setEnd(node, end);
      if (range.getBoundingClientRect().right > right + 0.5) break;
      visible = end;
    }
    return { visible, total: text.length };
  });
}

/** The selected option's text against the room a select gives it (its content box, less the arrow). */
function selectFit(locator: Locator): Promise<{ text: string; textWidth: number; room: number; scrollWidth: number; clientWidth: number }> {
  return locator.evaluate((element) => {
    const select = element as HTMLSelectElement;
    const style = getComputedStyle(select);
    const context = document.createElement('canvas').getContext('2d');
    if (context) context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = select.selectedOptions[0]?.text ?? '';
    // Chromium draws the drop-down arrow inside the padding's end, about 20 px wide.
    const arrow = 20;
    const room = select.clientWidth - Number.parseFloat(style.paddingLeft) - Math.max(Number.parseFloat(style.paddingRight), arrow);
    return {
      text,
      textWidth: context?.measureText(text).width ?? 0,
      room,
      scrollWidth: select.scrollWidth,
      clientWidth: select.clientWidth,
    };
  });
}

/** In the viewport, not covered or clipped by a scroll box, and the page itself not scrolled to get there. */
async function expectInView(page: Page, locator: Locator, what: string) {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize();
  expect(box, what).not.toBeNull();
  expect(viewport).not.toBeNull();
  if (!box || !viewport) return;
  expect(box.y, `${what}: top`).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height, `${what}: bottom`).toBeLessThanOrEqual(viewport.height);
  expect(box.x + box.width, `${what}: right`).toBeLessThanOrEqual(viewport.width);
  const hit = await locator.evaluate((element) => {
    const rect = element.getBoundingClientRect();
    const top = document.elementFromPoint(rect.x + rect.width / 2, rect.y + rect.height / 2);
    return top !== null && (element === top || element.contains(top));
  });
  expect(hit, `${what}: nothing covers or clips it`).toBe(true);
  expect(await page.evaluate(() => window.scrollY), 'the page has not scrolled').toBe(0);
}

/** The keyboard takes the bottom of the screen: the layout viewport shrinks as Android's does with resizes-content. */
async function openKeyboard(page: Page): Promise<() => Promise<void>> {
  const full = page.viewportSize();
  if (!full) throw new Error('no viewport');
  await page.setViewportSize({ width: full.width, height: full.height - KEYBOARD_PX });
  await expect
    .poll(() => page.evaluate(() => document.documentElement.style.getPropertyValue('--app-height')))
    .toBe(`${full.height - KEYBOARD_PX}px`);
  return () => page.setViewportSize(full);
}

test(
  'a decision waiting: the title keeps 24 characters or more, both selects read whole, Kill is in the menu',
  { tag: '@phone' },
  async ({ page }, testInfo) => {
    await openDashboard(page);
    const name = uniqueName('two requests from the phone, with a long title');
    await createFromDialog(page, { name, prompt: 'bash' });
    const view = sessionView(page);
    await expect(view.getByTestId('permission-prompt')).toBeVisible();
    const header = view.getByTestId('session-header');

    const title = await visibleChars(header.getByTestId('session-title'));
    const mode = await selectFit(view.getByTestId('mode-select'));
    const model = await selectFit(view.getByTestId('model-select'));
    console.log(
      `[${testInfo.project.name}] title ${title.visible} of ${title.total} characters visible; ` +
        `mode "${mode.text}" ${mode.textWidth.toFixed(0)} px in ${mode.room.toFixed(0)} px; model "${model.text}" ${model.textWidth.toFixed(0)} px in ${model.room.toFixed(0)} px`,
    );
    expect(title.visible === title.total || title.visible >= 24, `${title.visible} of ${title.total} title characters visible`).toBe(true);
    for (const select of [mode, model]) {
      expect(select.scrollWidth).toBeLessThanOrEqual(select.clientWidth);
      expect(select.textWidth, `"${select.text}" fits its select`).toBeLessThanOrEqual(select.room);
    }
    await screenshot(page, testInfo, 'decision-long-title');

    // Kill is not beside the title: it is in the header's overflow menu, and still asks first.
    await expect(header.getByRole('button', { name: 'Kill' })).toHaveCount(0);
    await header.getByRole('button', { name: 'More actions' }).click();
    await header.getByRole('menuitem', { name: 'Kill session…' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText(name);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(header.getByRole('menu')).toHaveCount(0);
    await view.getByTestId('permission-prompt').getByRole('button', { name: 'Deny' }).click();
    await expect(view.getByTestId('session-state')).toHaveAttribute('data-state', 'idle', { timeout: 15_000 });
  },
);

test(
  'a long plan: its three choices in view without scrolling, and Keep planning with the keyboard open',
  { tag: '@phone' },
  async ({ page }, testInfo) => {
    await openDashboard(page);
    await createFromDialog(page, { name: uniqueName('long plan'), prompt: 'long-plan' });
    const view = sessionView(page);
    const plan = view.getByTestId('permission-prompt').and(page.locator('[data-kind=plan]'));
    await expect(plan.getByTestId('plan').getByRole('heading', { name: 'Step 12' })).toBeAttached();
    await expectInView(page, plan.getByTestId('plan-accept-edits'), 'Approve and auto-accept edits');
    await expectInView(page, plan.getByTestId('plan-review-edits'), 'Approve, review each edit');
    await expectInView(page, plan.getByTestId('plan-feedback'), 'Keep planning');
    await screenshot(page, testInfo, 'long-plan');

    await plan.getByTestId('plan-feedback').click();
    const closeKeyboard = await openKeyboard(page);
    await plan.getByLabel('What should Claude change in the plan?').fill('Keep the JSON file as a backup.');
    await expectInView(page, plan.getByLabel('What should Claude change in the plan?'), 'the feedback field');
    await expectInView(page, plan.getByTestId('plan-keep-planning'), 'Keep planning, with the keyboard open');
    await screenshot(page, testInfo, 'long-plan-keyboard');

    const sent = page.waitForRequest((request) => request.method() === 'POST' && request.url().includes('/permissions/'));
    await plan.getByTestId('plan-keep-planning').click();
    expect((await sent).postDataJSON()).toEqual({ behavior: 'deny', message: 'Keep the JSON file as a backup.', source: 'web' });
    await expect(plan).toHaveCount(0);
    await closeKeyboard();
    await expect(view.getByTestId('session-state')).toHaveAttribute('data-state', 'idle', { timeout: 15_000 });
  },
);

test(
  'a long question: Send answer in view without scrolling, also with the keyboard open',
  { tag: '@phone' },
  async ({ page }, testInfo) => {
    await openDashboard(page);
    await createFromDialog(page, { name: uniqueName('long question'), prompt: 'long-question' });
    const view = sessionView(page);
    const question = view.getByTestId('permission-prompt').and(page.locator('[data-kind=question]'));
    await expect(question.getByTestId('question')).toHaveCount(4);
    await expectInView(page, question.getByTestId('send-answers'), 'Send answers');
    await expectInView(page, question.getByRole('button', { name: 'Don’t answer' }), 'Don’t answer');
    await screenshot(page, testInfo, 'long-question');

    for (const label of ['spaces', 'unit', 'lint']) await question.getByText(label, { exact: true }).click();
    // A tap on the last Other field brings the keyboard up: the field must stay in view above the bar as the panel shrinks.
    const other = question.getByTestId('question-other').nth(3);
    await other.click();
    const closeKeyboard = await openKeyboard(page);
    await expect(other).toBeFocused();
    await expectInView(page, other, 'the Other field, once the keyboard is up');
    await other.pressSequentially('the release branch');
    await expectInView(page, other, 'the Other field being typed in');
    await expectInView(page, question.getByTestId('send-answers'), 'Send answers, with the keyboard open');
    await screenshot(page, testInfo, 'long-question-keyboard');

    const sent = page.waitForRequest((request) => request.method() === 'POST' && request.url().includes('/permissions/'));
    await question.getByTestId('send-answers').click();
    expect((await sent).postDataJSON()).toMatchObject({
      behavior: 'allow',
      answers: {
        'How should the new files be indented?': 'spaces',
        'Which tests should run before each commit?': 'unit',
        'Which checks should the hook run?': 'lint',
        'Where should the work land?': 'the release branch',
      },
    });
    await expect(question).toHaveCount(0);
    await closeKeyboard();
    await expect(view.getByTestId('session-state')).toHaveAttribute('data-state', 'idle', { timeout: 15_000 });
  },
);

test(
  'desktop split: a question is answered in the session pane, and its list card only leads there',
  { tag: '@desktop' },
  async ({ page, scriptApi }, testInfo) => {
    await openDashboard(page);
    const api = await scriptApi('split');
    const name = uniqueName('split question');
    const created = await api.createSession({ prompt: 'long-question', source: 'api', name });
    const listed = card(page, name);
    await expect(listed.getByTestId('session-preview')).toContainText('Waits for you');
    await expect(listed.getByTestId('question-form')).toHaveCount(0);

    await openFromList(page, listed.getByTestId('open-decision'));
    const view = sessionView(page);
    await expect(view.getByTestId('question-form')).toBeVisible();
    await expect(listed).toBeVisible();
    await expect(listed.getByTestId('question-form')).toHaveCount(0);
    // Open beside it, the card no longer offers to open it.
    await expect(listed.getByTestId('open-decision')).toHaveCount(0);
    await expect(page.getByTestId('question-form')).toHaveCount(1);
    await screenshot(page, testInfo, 'split-question');
    await api.answerPermission(created.id, (await api.getSession(created.id)).pending_permissions[0]?.request_id ?? '', {
      behavior: 'deny',
      source: 'api',
    });
    await expect(view.getByTestId('question-form')).toHaveCount(0);
  },
);
