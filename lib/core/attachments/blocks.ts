import { readFileSync } from 'node:fs';
import type { SDKUserMessage } from '@anthropic-ai/claude-agent-sdk';
import { VibesError } from '../errors.ts';
import type { StoredAttachment } from './store.ts';

type Content = SDKUserMessage['message']['content'];

/**
 * What Claude is sent for a message: its text alone, or with its attachments read from disk as
 * the message leaves (also when it waited in the queue): images as image blocks, PDFs as document
 * blocks, text files as text naming the file; the attachments first, the text after them.
 */
export function messageContent(text: string, attachments: readonly StoredAttachment[]): Content {
  if (attachments.length === 0) return text;
  const blocks: Exclude<Content, string> = attachments.map((attachment) => {
    const bytes = readStored(attachment);
    if (attachment.kind === 'text') {
      return { type: 'text' as const, text: `<file name="${attachment.name.replace(/"/g, "'")}">\n${bytes.toString('utf8')}\n</file>` };
    }
    const data = bytes.toString('base64');
    if (attachment.kind === 'pdf') {
      return { type: 'document' as const, source: { type: 'base64' as const, media_type: 'application/pdf' as const, data } };
    }
    const media_type = attachment.media_type as 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
    return { type: 'image' as const, source: { type: 'base64' as const, media_type, data } };
  });
  if (text !== '') blocks.push({ type: 'text', text });
  return blocks;
}

function readStored(attachment: StoredAttachment): Buffer {
  try {
    return readFileSync(attachment.path);
  } catch {
    throw new VibesError('NOT_FOUND', `The attachment ${attachment.name} is no longer stored`);
  }
}
