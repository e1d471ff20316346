import { describe, it } from 'vitest';
import { ofType, useRealClaude } from '../support/real-claude.ts';
import { png } from '../support/images.ts';
import { describeImages, imageBlocks, latestUserText, reply, text } from '../support/scripted-model.ts';

const vibes = useRealClaude();

describe('files and images in a prompt, with the real Claude Code', () => {
  it('an attached image reaches the model as an image block, intact, beside the prompt', async ({ expect }) => {
    const marker = vibes.marker('image');
    const chat = vibes.model.script(marker, [(request) => reply(text(describeImages(request)))]);
    const client = vibes.client();
    const session = await client.createSession({ cwd: vibes.workDir() });
    const image = png(64, 48);
    const { attachment } = await client.uploadAttachment(session.id, image, 'chart.png');
    await client.sendInput(session.id, `What is in this picture? ${marker}`, 'api', [attachment.id]);
    const [turn] = await vibes.waitForTurns(session.id);
    expect(turn).toMatchObject({ is_error: false, result: 'I see a 64×48 PNG.' });
    const [sent] = imageBlocks(chat.requests[0]!);
    expect(sent).toEqual({ media_type: 'image/png', data: image.toString('base64') });
    expect(latestUserText(chat.requests[0]!)).toContain(`What is in this picture? ${marker}`);
    expect(ofType(vibes.events(session.id), 'user_input')[0]).toMatchObject({
      attachments: [{ id: attachment.id, width: 64, height: 48 }],
    });
  });
});
