import { createReadStream } from 'node:fs';
import { VibesError } from '../core/errors.ts';
import { AttachmentId } from '../protocol/index.ts';
import { parseWith, reply, route } from './route.ts';

/** Files and images in a prompt: the upload streams to disk (never held whole in memory) and the bytes are served back by URL. */
export const attachmentRoutes = {
  uploadAttachment: route('uploadAttachment', async ({ runtime, params, clientId, query, body }) => ({
    attachment: await (await runtime.manager.get(params.id)).saveAttachment(clientId, body, query.name),
  })),

  /**
   * Any signed-in viewer of the session may fetch its attachments, as it may read its transcript.
   * Served as a download would be: its own sniffed type, never re-sniffed by the browser, in a
   * sandbox (an SVG or HTML could not run script here anyway: only the accepted types are stored).
   */
  getAttachment: route('getAttachment', async ({ runtime, params }) => {
    const id = parseWith(AttachmentId, params.attachmentId, 'attachment id');
    const attachment = await runtime.manager.attachment(params.id, id);
    const stream = createReadStream(attachment.path);
    await new Promise<void>((resolve, reject) =>
      stream
        .once('open', () => resolve())
        .once('error', () => reject(new VibesError('NOT_FOUND', `The attachment ${id} is no longer stored`))),
    );
    return reply.bytes(
      {
        'Content-Type': attachment.kind === 'text' ? 'text/plain; charset=utf-8' : attachment.media_type,
        'Content-Length': String(attachment.size),
        'Content-Security-Policy': "sandbox; default-src 'none'",
        // Content-addressed: the bytes behind an id never change.
        'Cache-Control': 'private, max-age=31536000, immutable',
        'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(attachment.name)}`,
        'Cross-Origin-Resource-Policy': 'same-origin',
      },
      stream,
    );
  }),
};
