import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ApiClient } from '../../lib/client/node/api-client.ts';
import { ATTACHMENT_LIMITS, type Attachment } from '../../lib/protocol/index.ts';
import { UserError } from './user-error.ts';

/** A file named on the command line (`--image`, `--file`) or with `:attach`, to go with a message. */
export interface FileToAttach {
  path: string;
  /** `--image`: refused unless the server reads an image in it. */
  image: boolean;
}

/**
 * Uploads each file to the session, in order; the server reads the type from the bytes. A file
 * that cannot be read, is far too large, or is not what `--image` promised stops here, before
 * any message is sent.
 */
export async function uploadFiles(api: ApiClient, sessionId: string, files: readonly FileToAttach[]): Promise<Attachment[]> {
  if (files.length > ATTACHMENT_LIMITS.count) {
    throw new UserError(`at most ${ATTACHMENT_LIMITS.count} files go with one message (${files.length} given)`);
  }
  const uploaded: Attachment[] = [];
  for (const file of files) {
    const info = await stat(file.path).catch(() => null);
    if (!info?.isFile()) throw new UserError(`${file.path}: no such file`);
    if (info.size > ATTACHMENT_LIMITS.pdfBytes) {
      throw new UserError(
        `${file.path}: ${Math.round(info.size / 1024 / 1024)} MB is too large to attach (at most 20 MB, 3.75 MB for an image)`,
      );
    }
    const { attachment } = await api.uploadAttachment(sessionId, await readFile(file.path), basename(file.path));
    if (file.image && attachment.kind !== 'image') {
      throw new UserError(`${file.path}: not an image (PNG, JPEG, GIF or WebP); attach it with --file`);
    }
    uploaded.push(attachment);
  }
  return uploaded;
}
