import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AttachmentStore } from '../../../../lib/core/attachments/store.ts';
import { messageContent } from '../../../../lib/core/attachments/blocks.ts';
import { ATTACHMENT_LIMITS } from '../../../../lib/protocol/index.ts';
import { decompressionBomb, elfExecutable, png } from '../../../support/images.ts';

const home = mkdtempSync(join(tmpdir(), 'vibes-attachments-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const store = new AttachmentStore(home);

/** Bytes as an upload delivers them, in chunks: tiny ones for small files, so the type is read across chunks. */
async function* chunks(bytes: Buffer, size = bytes.length < 4096 ? 7 : 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const save = (session: string, bytes: Buffer, name = 'file') => store.save(session, chunks(bytes), name);
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'stored',
    (error: { code?: string }) => error.code,
  );

/** A GIF, a WebP (VP8X) and a JPEG header that says its size after an EXIF segment. */
const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.from([0x40, 0x01, 0xf0, 0x00]), Buffer.alloc(20)]);
const webp = (() => {
  const bytes = Buffer.alloc(40);
  bytes.write('RIFF', 0);
  bytes.write('WEBPVP8X', 8);
  bytes.writeUIntLE(799, 24, 3);
  bytes.writeUIntLE(599, 27, 3);
  return bytes;
})();
const jpeg = Buffer.concat([
  Buffer.from([0xff, 0xd8]),
  Buffer.from([0xff, 0xe1, 0x00, 0x10]),
  Buffer.alloc(14, 0x45),
  Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0x0b, 0xb8, 0x0f, 0xa0]),
  Buffer.alloc(40),
]);

describe('the attachment store', () => {
  it('reads the type from the bytes and an image’s size from its header', async () => {
    expect(await save('s1', png(300, 200), 'a.png')).toMatchObject({ kind: 'image', media_type: 'image/png', width: 300, height: 200 });
    expect(await save('s1', gif, 'a.gif')).toMatchObject({ media_type: 'image/gif', width: 320, height: 240 });
    expect(await save('s1', webp, 'a.webp')).toMatchObject({ media_type: 'image/webp', width: 800, height: 600 });
    expect(await save('s1', jpeg, 'photo.jpg')).toMatchObject({ media_type: 'image/jpeg', width: 4000, height: 3000 });
    expect(await save('s1', Buffer.from('%PDF-1.7\n...'), 'doc')).toMatchObject({ kind: 'pdf', media_type: 'application/pdf' });
    expect(await save('s1', Buffer.from('héllo ✓\n\tindented\n'), 'notes.md')).toMatchObject({ kind: 'text', media_type: 'text/plain' });
  });

  it('refuses what it cannot take, whatever the name, and leaves nothing behind', async () => {
    expect(await codeOf(save('s2', elfExecutable(), 'cat.png'))).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await codeOf(save('s2', Buffer.from([0xff, 0xfe, 0x41, 0x00]), 'utf16.txt'))).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await codeOf(save('s2', Buffer.concat([Buffer.from([0x89]), Buffer.from('PNG\r\n\x1a\n'), Buffer.alloc(30)]), 'x.png'))).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expect(await codeOf(save('s2', decompressionBomb(), 'bomb.png'))).toBe('IMAGE_TOO_LARGE');
    expect(await codeOf(save('s2', Buffer.concat([png(2, 2), Buffer.alloc(ATTACHMENT_LIMITS.imageBytes)]), 'big.png'))).toBe(
      'ATTACHMENT_TOO_LARGE',
    );
    expect(await codeOf(save('s2', Buffer.alloc(0), 'empty'))).toBe('VALIDATION_FAILED');
    expect(existsSync(join(home, 's2')) ? readdirSync(join(home, 's2')) : []).toEqual([]);
  });

  it('stores the same bytes once, checks a message’s count and total, and goes with its session', async () => {
    const first = await save('s3', png(5, 5), 'one.png');
    const again = await save('s3', png(5, 5), 'two.png');
    expect(again.id).toBe(first.id);
    expect(readdirSync(join(home, 's3')).sort()).toEqual([first.id, `${first.id}.json`]);
    expect(() =>
      store.forMessage(
        's3',
        Array.from({ length: ATTACHMENT_LIMITS.count + 1 }, () => first.id),
      ),
    ).toThrow(expect.objectContaining({ code: 'TOO_MANY_ATTACHMENTS' }));
    expect(() => store.forMessage('s3', ['f'.repeat(64)])).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => store.forMessage('s3', ['../s1/x'])).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(await store.prune(async (session) => session !== 's3')).toBe(1);
    expect(existsSync(join(home, 's3'))).toBe(false);
  });

  it('builds the blocks Claude gets: attachments first, then the text', async () => {
    const image = await save('s4', png(3, 3), 'a.png');
    const text = await save('s4', Buffer.from('hello\n'), 'note "x".txt');
    const pdf = await save('s4', Buffer.from('%PDF-1.4 tiny'), 'a.pdf');
    const stored = store.forMessage('s4', [image.id, text.id, pdf.id]);
    expect(messageContent('look', stored)).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png(3, 3).toString('base64') } },
      { type: 'text', text: `<file name="note 'x'.txt">\nhello\n\n</file>` },
      {
        type: 'document',
        source: { type: 'base64', media_type: 'application/pdf', data: Buffer.from('%PDF-1.4 tiny').toString('base64') },
      },
      { type: 'text', text: 'look' },
    ]);
    expect(messageContent('just text', [])).toBe('just text');
  });
});
