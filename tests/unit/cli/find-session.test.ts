import { describe, expect, it } from 'vitest';
import { findToDrive } from '../../../cli/lib/find-session.ts';
import type { ApiClient } from '../../../lib/client/node/api-client.ts';
import type { EventStream } from '../../../lib/client/node/event-stream.ts';
import type { SessionInfo } from '../../../lib/protocol/index.ts';
import { sessionInfo } from '../../support/session-fixture.ts';

/** The two lists findToDrive reads: the live sessions from the event stream, the ended ones from the history. */
function lists(live: SessionInfo[], ended: SessionInfo[]) {
  return {
    api: { history: async () => ended } as unknown as ApiClient,
    stream: { sessionList: async () => live } as unknown as EventStream,
  };
}

const running = (id: string) => sessionInfo(id, { name: `running ${id}` });
const ended = (id: string) => sessionInfo(id, { name: `ended ${id}`, ended_at: 1, end_reason: 'killed' });

describe('finding the session to attach to or resume', () => {
  it('finds one on its own side by a unique prefix', async () => {
    const { api, stream } = lists([running('aaaa1111')], [ended('bbbb2222')]);
    await expect(findToDrive(api, stream, 'aa', 'live')).resolves.toMatchObject({ id: 'aaaa1111' });
    await expect(findToDrive(api, stream, 'bb', 'ended')).resolves.toMatchObject({ id: 'bbbb2222' });
  });

  it('points one found on the other side to the command that fits it', async () => {
    const { api, stream } = lists([running('aaaa1111')], [ended('bbbb2222')]);
    await expect(findToDrive(api, stream, 'aa', 'ended')).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringContaining('vibes sessions attach aaaa1111'),
    });
    await expect(findToDrive(api, stream, 'bb', 'live')).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringContaining('vibes sessions resume bbbb2222'),
    });
  });

  it('names the sessions a prefix matches on the other side, not "none"', async () => {
    const { api, stream } = lists([running('aaaa1111'), running('aaaa2222')], [ended('bbbb1111'), ended('bbbb2222')]);
    const resume = findToDrive(api, stream, 'aaaa', 'ended');
    await expect(resume).rejects.toMatchObject({
      code: 'AMBIGUOUS',
      message: expect.stringMatching(/^No ended session matches "aaaa"; .*matches 2 sessions/),
    });
    await expect(resume).rejects.toMatchObject({ message: expect.stringContaining('aaaa2222  running aaaa2222') });
    await expect(findToDrive(api, stream, 'bbbb', 'live')).rejects.toMatchObject({
      code: 'AMBIGUOUS',
      message: expect.stringMatching(/^No running session matches "bbbb"/),
    });
  });

  it('says none matches when neither side has it', async () => {
    const { api, stream } = lists([running('aaaa1111')], [ended('bbbb2222')]);
    await expect(findToDrive(api, stream, 'cc', 'ended')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
