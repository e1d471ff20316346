'use client';

import { useEffect, useRef, useState } from 'react';
import { scaleForClaude, scaledName } from '../../lib/client/web/image-scale.ts';
import { attachmentLabel, formatBytes } from '../../lib/client/shared/labels.ts';
import type { Attachment } from '../../lib/protocol/index.ts';
import { ATTACHMENT_LIMITS } from '../../lib/protocol/rules.ts';
import { useLive } from './live-provider.tsx';
import { Button, buttonClass } from './ui/button.tsx';
import { Problem } from './ui/problem.tsx';
import { errorMessage } from '../../lib/protocol/text.ts';

/** One file chosen for the next message: being scaled and uploaded, stored (with its id), or refused. */
export interface PendingAttachment {
  key: string;
  name: string;
  /** A local preview of an image (an object URL), revoked when it is removed. */
  preview: string | null;
  status: 'uploading' | 'ready' | 'failed';
  attachment?: Attachment;
  error?: string;
}

const ACCEPT_FILES = 'image/png,image/jpeg,image/gif,image/webp,image/*,application/pdf,text/*,.md,.txt,.json,.csv,.log,.ts,.py';

/**
 * What goes with the next message: files chosen from the attach sheet (camera, photo library,
 * files), pasted or dropped. Photos are scaled down on the device, then uploaded at once, so
 * sending is quick; each can be seen and removed before sending.
 */
export function useAttachments(sessionId: string) {
  const { api } = useLive();
  const [items, setItems] = useState<PendingAttachment[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const counter = useRef(0);
  const latest = useRef(items);
  latest.current = items;
  useEffect(() => () => latest.current.forEach((item) => item.preview && URL.revokeObjectURL(item.preview)), []);

  const update = (key: string, change: Partial<PendingAttachment>) =>
    setItems((current) => current.map((item) => (item.key === key ? { ...item, ...change } : item)));

  async function upload(key: string, file: File) {
    try {
      const scaled = await scaleForClaude(file);
      const { attachment } = await api.uploadAttachment(sessionId, scaled, scaledName(file.name, file, scaled));
      update(key, { status: 'ready', attachment });
    } catch (error) {
      update(key, { status: 'failed', error: errorMessage(error) });
    }
  }

  function add(files: readonly File[]) {
    setProblem(null);
    const room = ATTACHMENT_LIMITS.count - latest.current.length;
    if (files.length > room) {
      setProblem(`At most ${ATTACHMENT_LIMITS.count} files go with one message: ${files.length - Math.max(0, room)} left out`);
    }
    const added = files.slice(0, Math.max(0, room)).map((file) => ({
      file,
      item: {
        key: `a${++counter.current}`,
        name: file.name || 'pasted image',
        preview: file.type.startsWith('image/') ? URL.createObjectURL(file) : null,
        status: 'uploading' as const,
      },
    }));
    setItems((current) => [...current, ...added.map(({ item }) => item)]);
    for (const { file, item } of added) void upload(item.key, file);
  }

  function remove(key: string) {
    const item = latest.current.find((candidate) => candidate.key === key);
    if (item?.preview) URL.revokeObjectURL(item.preview);
    setItems((current) => current.filter((candidate) => candidate.key !== key));
  }

  /** As a message leaves, the files it carries leave the tray (the transcript shows them); files added meanwhile stay. */
  function take(ids: readonly string[]): PendingAttachment[] {
    const carried = (item: PendingAttachment) => item.attachment !== undefined && ids.includes(item.attachment.id);
    setItems((current) => current.filter((item) => !carried(item)));
    setProblem(null);
    return latest.current.filter(carried);
  }

  /** Sent: their previews are let go. Refused: they come back, before any added since. */
  function settle(taken: readonly PendingAttachment[], sent: boolean) {
    if (!sent) return setItems((current) => [...taken, ...current]);
    for (const item of taken) if (item.preview) URL.revokeObjectURL(item.preview);
  }

  const ready = items.flatMap((item) => (item.status === 'ready' && item.attachment ? [item.attachment.id] : []));
  const uploading = items.some((item) => item.status === 'uploading');
  const failed = items.some((item) => item.status === 'failed');
  return { items, ready, uploading, failed, problem, add, remove, take, settle };
}

export type Attachments = ReturnType<typeof useAttachments>;

/** The chosen files, each with its preview, its state and a button to remove it. */
export function AttachmentTray({ attachments }: { attachments: Attachments }) {
  if (attachments.items.length === 0 && !attachments.problem) return null;
  return (
    <div className="mb-2" data-testid="attachment-tray">
      <ul className="flex flex-wrap gap-2">
        {attachments.items.map((item) => (
          <li
            key={item.key}
            data-testid="pending-attachment"
            data-status={item.status}
            className={`relative flex items-center gap-2 rounded-lg border px-1.5 py-1 text-xs ${item.status === 'failed' ? 'border-danger' : 'border-border'}`}
          >
            {item.preview ? (
              <img src={item.preview} alt="" className="h-12 w-12 rounded object-cover" />
            ) : (
              <FileIcon className="h-12 w-8 text-muted" />
            )}
            <span className="max-w-[9rem]">
              <span className="block truncate font-medium">{item.attachment?.name ?? item.name}</span>
              <span className={`block ${item.status === 'failed' ? 'text-danger-text' : 'text-muted'}`} role="status">
                {item.status === 'uploading'
                  ? 'Preparing…'
                  : item.status === 'failed'
                    ? item.error
                    : item.attachment
                      ? attachmentLabel(item.attachment).replace(`${item.attachment.name} `, '')
                      : ''}
              </span>
            </span>
            <Button
              variant="ghost"
              size="icon"
              onClick={() => attachments.remove(item.key)}
              className="rounded-full text-base text-muted hover:text-fg"
              aria-label={`Remove ${item.name}`}
              data-testid="remove-attachment"
            >
              ✕
            </Button>
          </li>
        ))}
      </ul>
      <Problem className="mt-1 text-xs">{attachments.problem}</Problem>
    </div>
  );
}

/** The attach sheet: the camera, the photo library, or any file; each choice opens the device's own picker. */
export function AttachSheet({ attachments, onClose }: { attachments: Attachments; onClose: () => void }) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);
  const choose = (files: FileList | null) => {
    if (files && files.length > 0) attachments.add([...files]);
    onClose();
  };
  const option = buttonClass('secondary', 'md', 'w-full cursor-pointer justify-start');
  return (
    <div
      role="dialog"
      aria-label="Attach"
      data-testid="attach-sheet"
      className="mb-2 grid gap-1.5 rounded-xl border border-border bg-surface p-2 shadow-lg sm:grid-cols-3"
    >
      <label className={option}>
        Take a photo
        <input type="file" accept="image/*" capture="environment" className="sr-only" onChange={(event) => choose(event.target.files)} />
      </label>
      <label className={option}>
        Photo library
        <input
          type="file"
          accept="image/*"
          multiple
          className="sr-only"
          data-testid="attach-photos"
          onChange={(event) => choose(event.target.files)}
        />
      </label>
      <label className={option}>
        File (image, PDF, text)
        <input
          type="file"
          accept={ACCEPT_FILES}
          multiple
          className="sr-only"
          data-testid="attach-files"
          onChange={(event) => choose(event.target.files)}
        />
      </label>
      <p className="text-xs text-muted sm:col-span-3">
        Images (PNG, JPEG, GIF, WebP; photos are scaled to {ATTACHMENT_LIMITS.imageLongEdge} px here first), PDFs up to{' '}
        {formatBytes(ATTACHMENT_LIMITS.pdfBytes)}, text files; {ATTACHMENT_LIMITS.count} at most. On a computer you can also paste or drop
        them.
      </p>
      <Button variant="ghost" onClick={onClose} className="sm:col-span-3">
        Cancel
      </Button>
    </div>
  );
}

/** A sheet of paper: a file that is not an image (the system font may have no emoji). */
export function FileIcon({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" className={className} fill="none" stroke="currentColor" strokeWidth="1.6">
      <path d="M6 2.75h8l4.25 4.25v14.25H6z" strokeLinejoin="round" />
      <path d="M14 2.75V7h4.25M8.75 12h6.5M8.75 15.5h6.5" strokeLinecap="round" />
    </svg>
  );
}

export function PaperClipIcon({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" className={className} fill="none" stroke="currentColor" strokeWidth="1.8">
      <path
        d="M20.5 11.5 12.4 19.6a5 5 0 0 1-7.1-7.1l8.5-8.5a3.4 3.4 0 0 1 4.8 4.8l-8.4 8.4a1.7 1.7 0 0 1-2.4-2.4l7.7-7.7"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
