import { describe, it } from 'vitest';
import { ofType, useRealClaude } from '../support/real-claude.ts';
import { apiError, latestUserText, reply, replyWith, requestText, text, thinking } from '../support/scripted-model.ts';

const vibes = useRealClaude();

describe.concurrent('turns with the real Claude Code', () => {
  it('streams text in deltas that add up to the final block', async ({ expect }) => {
    const marker = vibes.marker('deltas');
    const answer = 'Streaming works: each piece arrives as it is written, and the whole block follows.';
    vibes.model.script(marker, [replyWith({ chunkSize: 6 }, text(answer))]);
    const session = await vibes.start(`Say something ${marker}`, vibes.workDir());
    const [turn] = await vibes.waitForTurns(session.id);
    const events = vibes.events(session.id);
    const deltas = ofType(events, 'text_delta');
    expect(deltas.length).toBeGreaterThanOrEqual(Math.floor(answer.length / 6));
    expect(deltas.map((delta) => delta.text).join('')).toBe(answer);
    const [final] = ofType(events, 'text');
    expect(final).toMatchObject({ text: answer, message_id: deltas[0]?.message_id });
    // Every delta comes before the block it builds.
    expect(events.indexOf(deltas.at(-1)!)).toBeLessThan(events.indexOf(final!));
    expect(turn).toMatchObject({ is_error: false, result: answer });
    // List updates are coalesced, so a brief state may be folded away; the turn still shows as running, then done.
    expect(vibes.states(session.id).slice(-2)).toEqual(['processing', 'idle']);
  });

  it('shows thinking before the answer', async ({ expect }) => {
    const marker = vibes.marker('thinking');
    vibes.model.script(marker, [reply(thinking('The user wants a number. Seven is a fine one.'), text('Seven.'))]);
    const session = await vibes.start(`Pick a number ${marker}`, vibes.workDir());
    await vibes.waitForTurns(session.id);
    const events = vibes.events(session.id);
    expect(ofType(events, 'thinking')).toEqual([{ type: 'thinking', text: 'The user wants a number. Seven is a fine one.' }]);
    expect(events.findIndex((event) => event.type === 'thinking')).toBeLessThan(events.findIndex((event) => event.type === 'text'));
  });

  it('stops a turn mid-stream on interrupt and keeps the session for the next prompt', async ({ expect }) => {
    const marker = vibes.marker('interrupt');
    const long = 'This reply is long and slow, so it can be interrupted before it ends. '.repeat(10);
    const chat = vibes.model.script(marker, [replyWith({ chunkSize: 4, delayMs: 50 }, text(long)), reply(text('Back again.'))]);
    const session = await vibes.start(`Talk slowly ${marker}`, vibes.workDir());
    await vibes.waitForEvent(session.id, 'text_delta');
    await vibes.client().interrupt(session.id);
    const [interrupted] = await vibes.waitForTurns(session.id);
    expect(interrupted).toMatchObject({ is_error: true });
    await vibes.waitForState(session.id, 'idle');
    const streamed = ofType(vibes.events(session.id), 'text_delta')
      .map((delta) => delta.text)
      .join('');
    expect(streamed.length).toBeLessThan(long.length);

    await vibes.client().sendInput(session.id, 'Go on.');
    const turns = await vibes.waitForTurns(session.id, 2);
    expect(turns[1]).toMatchObject({ is_error: false, result: 'Back again.' });
    // The same Claude process went on, and the model heard that the user interrupted.
    expect(ofType(vibes.events(session.id), 'system').filter((event) => event.subtype === 'init')).toHaveLength(1);
    expect(latestUserText(chat.requests[1]!)).toContain('Go on.');
    expect(requestText(chat.requests[1]!)).toContain('interrupted by user');
  });

  it('queues input sent during a turn and runs it next', async ({ expect }) => {
    const marker = vibes.marker('queued');
    const chat = vibes.model.script(marker, [
      replyWith({ chunkSize: 4, delayMs: 40 }, text('A first answer that takes a while to stream out.')),
      reply(text('Second answer.')),
    ]);
    const session = await vibes.start(`First ${marker}`, vibes.workDir());
    await vibes.waitForEvent(session.id, 'text_delta');
    const busy = await vibes.client().sendInput(session.id, 'Second question');
    expect(busy.queued_inputs).toBe(1);
    const queued = await vibes.waitForEvent(session.id, 'user_input', (event) => event.content === 'Second question');
    expect(queued.queued).toBe(true);
    const turns = await vibes.waitForTurns(session.id, 2);
    expect(turns.map((turn) => turn.result)).toEqual(['A first answer that takes a while to stream out.', 'Second answer.']);
    // The model saw the second question only after its first answer, in the same conversation.
    expect(chat.requests).toHaveLength(2);
    expect(latestUserText(chat.requests[1]!)).toContain('Second question');
    expect(requestText(chat.requests[1]!)).toContain('A first answer that takes a while');
  });

  it('shows retry notes while the API is overloaded, then the answer', async ({ expect }) => {
    const marker = vibes.marker('overloaded');
    const chat = vibes.model.script(marker, [apiError(529), apiError(529), reply(text('Made it.'))]);
    const session = await vibes.start(`Try hard ${marker}`, vibes.workDir());
    const [turn] = await vibes.waitForTurns(session.id);
    expect(turn).toMatchObject({ is_error: false, result: 'Made it.' });
    const retries = ofType(vibes.events(session.id), 'system').filter((event) => event.subtype === 'api_retry');
    expect(retries.length).toBeGreaterThanOrEqual(2);
    expect(retries[0]).toMatchObject({ attempt: 1, error_status: 529 });
    expect(chat.requests).toHaveLength(3);
    expect(vibes.latest(session.id)?.state).toBe('idle');
  });

  it('fails the session with the login hint when the API refuses the key', async ({ expect }) => {
    const marker = vibes.marker('auth');
    const chat = vibes.model.script(marker, [], { fallback: apiError(401, 'invalid x-api-key') });
    const session = await vibes.start(`Hello ${marker}`, vibes.workDir());
    const failed = await vibes.waitForState(session.id, 'failed');
    expect(failed.failure).toContain('Invalid API key');
    expect(failed.failure).toContain('sign in with /login, or set ANTHROPIC_API_KEY');
    // Claude Code retries a 401 like any error (CLAUDE_CODE_MAX_RETRIES=3 here), and says so.
    expect(chat.requests).toHaveLength(4);
    const events = vibes.events(session.id);
    expect(ofType(events, 'system').filter((event) => event.subtype === 'api_retry')).toHaveLength(3);
    expect(ofType(events, 'turn_complete')).toMatchObject([{ is_error: true, result: 'Invalid API key · Fix external API key' }]);
    expect(ofType(events, 'error')[0]?.message).toContain('Invalid API key');
  });

  it('compacts the conversation on /compact and goes on from the summary', async ({ expect }) => {
    const marker = vibes.marker('compact');
    // The summary keeps the marker, so the conversation after compaction is still this script's.
    const summary = `The user said hello ${marker}; the assistant answered.`;
    const chat = vibes.model.script(marker, [
      reply(text('First answer.')),
      (request) =>
        reply(
          text(
            latestUserText(request).includes('<summary>')
              ? `<analysis>Short.</analysis>\n<summary>${summary}</summary>`
              : 'Not a summary request.',
          ),
        ),
      reply(text('After compaction.')),
    ]);
    const session = await vibes.start(`Start ${marker}`, vibes.workDir());
    await vibes.waitForTurns(session.id);
    await vibes.client().sendInput(session.id, '/compact');
    await vibes.waitForTurns(session.id, 2);
    await vibes.client().sendInput(session.id, 'And now?');
    const turns = await vibes.waitForTurns(session.id, 3);
    expect(turns[2]).toMatchObject({ is_error: false, result: 'After compaction.' });
    const notes = ofType(vibes.events(session.id), 'system');
    // The note says what compaction did, from the sizes Claude Code reports.
    expect(notes.find((event) => event.subtype === 'compact_boundary')).toMatchObject({
      trigger: 'manual',
      pre_tokens: expect.any(Number),
      post_tokens: expect.any(Number),
      text: expect.stringMatching(/^Conversation compacted on request: [\d.]+[kM]? → [\d.]+[kM]? tokens$/),
    });
    expect(notes.find((event) => event.subtype === 'command_output')).toMatchObject({ text: 'Compacted' });
    // Claude Code asked the model for the summary, then went on from it alone.
    expect(chat.requests).toHaveLength(3);
    expect(latestUserText(chat.requests[1]!)).toContain('<summary>');
    expect(requestText(chat.requests[2]!)).toContain(summary);
    expect(requestText(chat.requests[2]!)).not.toContain('First answer.');
    expect(latestUserText(chat.requests[2]!)).toContain('And now?');
  });
});
