import { expect } from '@playwright/test';
import { createFromDialog, openDashboard, PORT, SCENARIO, StreamCutter, uniqueName, visible, test } from './support/dashboard.ts';

test('the event stream drops mid-reply: reconnecting, then the whole reply, nothing missing or doubled', async ({ page, scriptApi }) => {
  const cutter = new StreamCutter(PORT);
  await cutter.start();
  try {
    await openDashboard(page, '/', cutter.url);
    const name = uniqueName('dropped');
    await createFromDialog(page, { name, prompt: SCENARIO.slowReply });
    const view = page.getByRole('region', { name: /^Session / });
    const reply = view.getByTestId('assistant-text');
    await expect(reply.first()).toHaveAttribute('data-streaming', 'true');

    // Refused for 1.2 s, the page is back after its second retry (~1.5 s), inside the server's
    // 3 s disconnect grace. The state and the words are read in one look: read one after the
    // other on a loaded machine, the indicator could be live again in between.
    expect(cutter.cut(1200)).toBeGreaterThan(0);
    const inTrouble = page.locator('[data-testid=connection]:visible:is([data-status=reconnecting], [data-status=offline])');
    await expect(inTrouble).toHaveText(/Reconnecting|Offline/);
    const indicator = visible(page, 'connection');
    await expect(indicator).toHaveAttribute('data-status', 'live', { timeout: 15_000 });

    await expect(view.getByTestId('session-state')).toHaveAttribute('data-state', 'idle', { timeout: 15_000 });
    await expect(reply).toHaveCount(1);
    await expect(reply).toHaveAttribute('data-streaming', 'false');
    await expect(view.getByTestId('turn-complete')).toHaveCount(1);
    await expect(view.getByTestId('user-input')).toHaveCount(1);

    // What the page shows is exactly what the server recorded.
    const url = new URL(page.url());
    const sessionId = url.searchParams.get('session') ?? '';
    const api = await scriptApi('reader');
    const page1 = await api.events(sessionId, { after: 0, limit: 1000 });
    const finalText = page1.events.flatMap((entry) => (entry.event.type === 'text' ? [entry.event.text] : []));
    expect(finalText).toHaveLength(1);
    await expect(reply).toHaveText(finalText[0] ?? '');
    await expect(view.getByTestId('transcript')).toHaveAttribute('data-last-seq', String(page1.last_seq));
  } finally {
    await cutter.stop();
  }
});
