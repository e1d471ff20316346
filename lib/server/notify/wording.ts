import { untitled } from '../../core/summary.ts';
import { decisionSummary } from '../../protocol/decision-summary.ts';
import { clip, firstLine } from '../../protocol/text.ts';
import type { NoticeSession, PermissionRequest, ShowNotice } from './policy.ts';

const TITLE_MAX = 80;
const BODY_MAX = 180;

export type NoticeText = { title: string; body: string };

/** What `vibes notify test` shows. */
export const TEST_TEXT: NoticeText = { title: 'vibes', body: 'Notifications work on this device.' };

/** What a notice says, as a phone's lock screen shows it: the session by its title, then the news. */
export function noticeText(notice: ShowNotice): NoticeText {
  const session = sessionLabel(notice.session);
  switch (notice.kind) {
    case 'permission':
      return fit({ title: `${session}: ${asks(notice.request)}`, body: decisionSummary(notice.request) });
    case 'turn_finished':
      return fit({
        title: `Done: ${session}`,
        body: firstLine(notice.reply) || `Claude finished after ${Math.round(notice.durationMs / 1000)} s`,
      });
    case 'failed':
      return fit({ title: `Failed: ${session}`, body: firstLine(notice.failure ?? '') || 'Claude stopped with an error' });
  }
}

/** The session's title as lists show it (its name, else its first prompt); its id's start before one is known. */
export function sessionLabel(session: NoticeSession): string {
  return firstLine(session.title ?? '') || untitled(session.id);
}

const asks = (request: PermissionRequest): string =>
  request.kind === 'question' ? 'Claude asks' : request.kind === 'plan' ? 'plan ready' : `allow ${request.tool_name}?`;

function fit(text: NoticeText): NoticeText {
  return { title: clip(text.title, TITLE_MAX), body: clip(text.body, BODY_MAX) };
}
