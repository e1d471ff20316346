import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, open, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ATTACHMENT_LIMITS, type Attachment, type AttachmentKind } from '../../protocol/index.ts';
import { VibesError } from '../errors.ts';
import { capOf, imageSize, sniff, SNIFF_BYTES, TextCheck, unsupported, type Sniffed } from './sniff.ts';

/** An attachment and where its bytes are: what the agent reads when the message goes to Claude. */
export interface StoredAttachment extends Attachment {
  path: string;
}

const ID = /^[0-9a-f]{64}$/;

/**
 * Files and images sent in prompts, kept per session under one folder (`<dir>/<session>/<sha256>`,
 * with its description beside it in `<sha256>.json`), so they go with their session. Each is
 * written to a temporary file and renamed only once it is complete and checked: a refused or
 * broken upload leaves nothing behind.
 */
export class AttachmentStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /**
   * Streams an upload to disk: the type is sniffed from its first bytes, its kind's size cap is
   * checked as the bytes arrive (never more than that is written or held), an image's size is read
   * from its header. The same bytes uploaded twice are stored once.
   */
  async save(sessionId: string, chunks: AsyncIterable<Uint8Array>, name: string): Promise<Attachment> {
    const folder = join(this.#dir, sessionId);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const temp = join(folder, `.upload-${randomBytes(8).toString('hex')}`);
    const file = await open(temp, 'wx+', 0o600);
    let closed = false;
    try {
      const hash = createHash('sha256');
      const text = new TextCheck();
      let head: Uint8Array = new Uint8Array(0);
      let sniffed: Sniffed | null = null;
      let size = 0;
      for await (const chunk of chunks) {
        size += chunk.length;
        if (sniffed === null) {
          head = concat(head, chunk.subarray(0, SNIFF_BYTES));
          if (head.length >= SNIFF_BYTES) sniffed = sniff(head);
        }
        if (sniffed && size > capOf(sniffed.kind)) throw tooLarge(sniffed.kind);
        if (sniffed?.kind !== 'image' && sniffed?.kind !== 'pdf') text.push(chunk);
        hash.update(chunk);
        await file.write(chunk);
      }
      if (size === 0) throw new VibesError('VALIDATION_FAILED', 'The file is empty');
      sniffed ??= sniff(head);
      if (sniffed.kind === 'text' && !text.ok) throw unsupported();
      if (size > capOf(sniffed.kind)) throw tooLarge(sniffed.kind);
      const dimensions = sniffed.kind === 'image' ? await imageSize(file, sniffed.media_type) : undefined;
      await file.close();
      closed = true;
      const id = hash.digest('hex');
      const attachment: Attachment = { id, ...sniffed, name: displayName(name), size, ...dimensions };
      await rename(temp, join(folder, id));
      await writeAtomically(join(folder, `${id}.json`), JSON.stringify(describe(attachment)));
      return attachment;
    } catch (error) {
      if (!closed) await file.close().catch(() => {});
      await unlink(temp).catch(() => {});
      throw error;
    }
  }

  /** The session's attachments named by a message, in order; refuses unknown ids and a message past the caps. */
  forMessage(sessionId: string, ids: readonly string[]): StoredAttachment[] {
    if (ids.length > ATTACHMENT_LIMITS.count) {
      throw new VibesError(
        'TOO_MANY_ATTACHMENTS',
        `At most ${ATTACHMENT_LIMITS.count} attachments go with one message (${ids.length} sent)`,
      );
    }
    const attachments = ids.map((id) => this.get(sessionId, id));
    const total = attachments.reduce((sum, attachment) => sum + attachment.size, 0);
    if (total > ATTACHMENT_LIMITS.totalBytes) {
      throw new VibesError(
        'ATTACHMENT_TOO_LARGE',
        `A message's attachments may hold ${mib(ATTACHMENT_LIMITS.totalBytes)} MiB in all; these hold ${mib(total)} MiB`,
      );
    }
    return attachments;
  }

  /** One stored attachment of the session; NOT_FOUND when there is none by that id. */
  get(sessionId: string, id: string): StoredAttachment {
    const path = join(this.#dir, sessionId, id);
    let described: Omit<Attachment, 'id'>;
    try {
      if (!ID.test(id)) throw new Error('not an id');
      described = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as Omit<Attachment, 'id'>;
    } catch {
      throw new VibesError('NOT_FOUND', `Session ${sessionId} has no attachment ${id.slice(0, 80)}`);
    }
    return { id, ...described, path };
  }

  /** Deletes the folders of sessions that are no longer kept (after the history's retention). */
  async prune(keep: (sessionId: string) => Promise<boolean>): Promise<number> {
    if (!existsSync(this.#dir)) return 0;
    let removed = 0;
    for (const entry of readdirSync(this.#dir)) {
      if (await keep(entry)) continue;
      rmSync(join(this.#dir, entry), { recursive: true, force: true });
      removed++;
    }
    return removed;
  }
}

function describe({ kind, media_type, name, size, width, height }: Attachment): Omit<Attachment, 'id'> {
  return { kind, media_type, name, size, ...(width === undefined ? {} : { width, height }) };
}

function tooLarge(kind: AttachmentKind): VibesError {
  const what = kind === 'image' ? 'An image' : kind === 'pdf' ? 'A PDF' : 'A text file';
  const hint = kind === 'image' ? ' (Claude takes 5 MB of base64 at most: scale it down)' : '';
  return new VibesError('ATTACHMENT_TOO_LARGE', `${what} may have at most ${mib(capOf(kind))} MiB${hint}`);
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '');
}

/** Names are shown, never used as paths: control characters go, the length is bounded. */
function displayName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return clean.slice(0, ATTACHMENT_LIMITS.nameChars) || 'attachment';
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, text, { mode: 0o600 });
  await rename(temp, path);
}
