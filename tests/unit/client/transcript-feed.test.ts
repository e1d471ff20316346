import { describe, expect, it } from 'vitest';
import { TranscriptFeed } from '../../../lib/client/web/transcript-feed.ts';
import type { TranscriptState } from '../../../lib/client/shared/transcript.ts';
import type { EventsPage, TranscriptEntry } from '../../../lib/protocol/index.ts';

const delta = (seq: number): TranscriptEntry => ({ seq, at: 1, event: { type: 'text_delta', message_id: 'm', text: `${seq},` } });

function server(total: number) {
  const all = Array.from({ length: total }, (_, index) => delta(index + 1));
  const calls: { after?: number; limit?: number }[] = [];
  const api = {
    all,
    calls,
    async events(_id: string, page: { after?: number; limit?: number } = {}): Promise<EventsPage> {
      calls.push(page);
      const after = page.after ?? 0;
      return { events: all.filter((entry) => entry.seq > after).slice(0, page.limit ?? 200), last_seq: all.length };
    },
  };
  return api;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const text = (state: TranscriptState | undefined) => (state?.items[0]?.kind === 'text' ? state.items[0].text : '');

describe('transcript feed', () => {
  it('loads only the tail of a long transcript, then older pages on demand', async () => {
    const api = server(1000);
    const published: TranscriptState[] = [];
    const feed = new TranscriptFeed(
      api,
      (_id, state) => published.push(state),
      () => {},
    );
    feed.ensure('s');
    await settle();
    expect(published.at(-1)).toMatchObject({ firstSeq: 701, lastSeq: 1000 });
    await feed.loadOlder('s');
    expect(published.at(-1)).toMatchObject({ firstSeq: 401, lastSeq: 1000 });
  });

  it('merges live entries that race the snapshot without gaps or doubles', async () => {
    const api = server(5);
    const published: TranscriptState[] = [];
    const feed = new TranscriptFeed(
      api,
      (_id, state) => published.push(state),
      () => {},
    );
    feed.ensure('s');
    // Arrives while the snapshot loads; the snapshot holds it too.
    feed.push('s', delta(5));
    await settle();
    api.all.push(delta(6), delta(7), delta(8));
    // Seq 6 and 7 were missed (a dropped stream); 8 arrives live and the hole is fetched.
    feed.push('s', delta(8));
    await settle();
    await settle();
    expect(published.at(-1)?.lastSeq).toBe(8);
    expect(text(published.at(-1))).toBe('1,2,3,4,5,6,7,8,');
  });
});
