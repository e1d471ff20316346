import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { ON_PHONE_CONTEXT } from '../../lib/core/reader-context.ts';
import { CLIENT_ID_HEADER } from '../../lib/protocol/index.ts';
import { ofType, TESTER, useRealClaude } from '../support/real-claude.ts';
import { contentText, reply, text, type RecordedRequest } from '../support/scripted-model.ts';
import { deviceCookie } from '../support/sign-in.ts';

const vibes = useRealClaude();

/** A POST as the signed-in browser whose cookie this is. */
async function asDevice(cookie: string, path: string, body: unknown): Promise<Response> {
  return fetch(new URL(path, vibes.server.url), {
    method: 'POST',
    headers: { cookie, origin: vibes.server.url, 'content-type': 'application/json', [CLIENT_ID_HEADER]: TESTER },
    body: JSON.stringify(body),
  });
}

const told = (request: RecordedRequest) => JSON.stringify(request.body).includes(ON_PHONE_CONTEXT);
const lastUserMessage = (request: RecordedRequest) => (request.body.messages ?? []).findLast((message) => message.role === 'user');

describe('telling the real Claude Code the user is on a phone (issue 29)', () => {
  it('reaches the model beside the opted-in device’s prompt, not the token’s, not a slash command, the prompt as typed', async ({
    expect,
  }) => {
    const marker = vibes.marker('phone');
    const cwd = vibes.workDir();
    mkdirSync(join(cwd, '.claude', 'commands'), { recursive: true });
    writeFileSync(join(cwd, '.claude', 'commands', 'hello.md'), `---\ndescription: Greets someone\n---\nSay hello to $ARGUMENTS\n`);
    const chat = vibes.model.script(marker, [reply(text('From the terminal.')), reply(text('Hello!')), reply(text('Short.'))]);
    const phone = await deviceCookie(vibes.server.url, vibes.server.token(), 'real phone');
    expect((await asDevice(phone, '/api/devices/current/phone', { on: true })).status).toBe(200);

    const session = await vibes.start(`From the token ${marker}`, cwd);
    await vibes.waitForTurns(session.id, 1);
    expect((await asDevice(phone, `/api/sessions/${session.id}/input`, { content: '/hello world' })).status).toBe(202);
    await vibes.waitForTurns(session.id, 2);
    const typed = 'What changed in the last commit?';
    expect((await asDevice(phone, `/api/sessions/${session.id}/input`, { content: typed })).status).toBe(202);
    await vibes.waitForTurns(session.id, 3);

    const [fromToken, fromCommand, fromPhone] = chat.requests;
    expect(fromToken && told(fromToken)).toBe(false);
    // The command ran as Claude Code expands it, with nothing added.
    expect(contentText(fromCommand && lastUserMessage(fromCommand)?.content)).toContain('Say hello to world');
    expect(fromCommand && told(fromCommand)).toBe(false);

    expect(fromPhone && told(fromPhone)).toBe(true);
    // Beside the prompt, not in it: the user's message is exactly what they typed.
    const userMessage = fromPhone && lastUserMessage(fromPhone);
    expect(contentText(userMessage?.content)).toBe(typed);
    expect(JSON.stringify(userMessage)).not.toContain(ON_PHONE_CONTEXT);
    // Claude Code gives it to the model as a system message after the prompt.
    const after = (fromPhone?.body.messages ?? []).slice((fromPhone?.body.messages ?? []).indexOf(userMessage!) + 1);
    expect(after.some((message) => message.role === 'system' && contentText(message.content).includes(ON_PHONE_CONTEXT))).toBe(true);
    expect(ofType(vibes.events(session.id), 'user_input').map((input) => input.content)).toEqual([
      `From the token ${marker}`,
      '/hello world',
      typed,
    ]);
  });
});
