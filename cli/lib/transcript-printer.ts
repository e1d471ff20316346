import { MarkdownStream, type MarkdownPiece } from '../../lib/client/shared/markdown-stream.ts';
import { REMOVAL_TEXT, attachmentLabel, stateLook } from '../../lib/client/shared/labels.ts';
import { resultText, summarizeInput, todosOf } from '../../lib/protocol/tool-input.ts';
import type { RemovalReason, SessionInfo, TranscriptEvent } from '../../lib/protocol/index.ts';
import { CLAUDE_CLIENT_ID } from '../../lib/protocol/rules.ts';
import { decisionLines, diffLines, modeLabel, todoLines, type Decision } from './decision-view.ts';
import { shortId } from './ids.ts';
import type { Style } from './style.ts';
import { truncate } from './style.ts';
import { markdownLines, markdownText } from './terminal-markdown.ts';

export interface PrinterOptions {
  style: Style;
  write: (text: string) => void;
  /** This process's client id: its own input is already on screen in a terminal. */
  ownClientId?: string;
  echoOwnInput: boolean;
  /** On a terminal: Claude's text is laid out as Markdown, this many columns wide; else printed as written. */
  markdownWidth?: () => number;
}

/**
 * A session's transcript as compact terminal text: deltas as they arrive (and not the final text
 * again), one line per tool call and result, permission requests with their input.
 */
export class TranscriptPrinter {
  readonly #options: PrinterOptions;
  readonly #streamed = new Set<string>();
  readonly #shownRequests = new Set<string>();
  /** Tool calls whose diff the request already showed: their result need not show it again. */
  readonly #diffShownFor = new Set<string>();
  #lineOpen = false;
  /** Messages being streamed as Markdown: what their text has completed so far is on screen. */
  readonly #markdown = new Map<string, MarkdownStream>();

  constructor(options: PrinterOptions) {
    this.#options = options;
  }

  /** Messages already complete in `history`: their deltas need not be printed. */
  skipDeltasOf(messageIds: Iterable<string>): void {
    for (const id of messageIds) this.#streamed.add(`skip:${id}`);
  }

  event(event: TranscriptEvent): void {
    const s = this.#options.style;
    switch (event.type) {
      case 'text_delta':
        if (this.#streamed.has(`skip:${event.message_id}`)) return;
        this.#streamed.add(event.message_id);
        if (this.#options.markdownWidth) {
          const stream = this.#markdown.get(event.message_id) ?? new MarkdownStream();
          this.#markdown.set(event.message_id, stream);
          this.#print(stream.push(event.text));
          return;
        }
        this.#options.write(event.text);
        this.#lineOpen = !event.text.endsWith('\n');
        return;
      case 'text':
        if (this.#streamed.has(event.message_id)) {
          this.flush();
          return;
        }
        if (this.#options.markdownWidth) {
          this.flush();
          for (const line of markdownText(event.text, this.#options.style, this.#options.markdownWidth())) this.#options.write(`${line}\n`);
          return;
        }
        this.line(event.text.replace(/\n+$/, ''));
        return;
      case 'user_input': {
        const own = event.client_id === this.#options.ownClientId;
        if (own && !this.#options.echoOwnInput) return;
        const who = own ? '' : s.dim(` (${event.source})`);
        this.line(`${s.bold(s.cyan('›'))} ${event.content}${who}${event.queued ? s.dim(' (queued)') : ''}`);
        for (const attachment of event.attachments ?? []) this.line(s.dim(`  + ${attachmentLabel(attachment)}`));
        return;
      }
      case 'thinking':
        this.line(s.dim(`✻ ${truncate(oneLine(event.text), 160)}`));
        return;
      case 'tool_use':
        this.line(`${s.magenta('●')} ${s.bold(event.name)}${s.dim(`(${truncate(summarizeInput(event.name, event.input), 120)})`)}`);
        if (event.name === 'TodoWrite' && !event.parent_tool_use_id) {
          for (const line of todoLines(todosOf(event.input), s)) this.line(`  ${line}`);
        }
        return;
      case 'tool_result': {
        const text = resultText(event.content);
        const lines = text.split('\n').filter((line) => line.trim() !== '');
        const first = truncate(lines[0] ?? '(no output)', 120);
        const more = lines.length > 1 ? s.dim(` (+${lines.length - 1} lines)`) : '';
        this.line(`  ${s.dim('⎿')} ${event.is_error ? s.red(first) : s.dim(first)}${more}`);
        // An edit that needed no approval (accept-edits mode) is shown here, once made.
        if (event.diff && !this.#diffShownFor.has(event.tool_use_id)) for (const line of diffLines(event.diff, s, 40)) this.line(line);
        return;
      }
      case 'permission_request': {
        const { type: _type, ...decision } = event;
        this.permission(decision);
        return;
      }
      case 'permission_resolved': {
        const verdict = event.behavior === 'allow' ? s.green('✓ allowed') : s.red('✗ denied');
        const who =
          event.client_id === this.#options.ownClientId
            ? 'you'
            : event.client_id === CLAUDE_CLIENT_ID
              ? 'Claude withdrew it'
              : `${event.device ?? (event.source === 'web' ? 'the web' : event.source === 'cli' ? 'another terminal' : 'another client')}`;
        const chosen = [
          ...Object.entries(event.answers ?? {}).map(([question, answer]) => `${question} → ${answer}`),
          ...(event.applied_suggestions ?? []).map((rule) => `don't ask again: ${rule}`),
          ...(event.mode ? [`then ${modeLabel(event.mode).toLowerCase()}`] : []),
        ];
        this.line(`  ${verdict}${s.dim(` (${who}${event.message ? `: ${event.message}` : ''})`)}`);
        for (const line of chosen) this.line(s.dim(`    ${line}`));
        return;
      }
      case 'turn_complete': {
        const seconds = (event.duration_ms / 1000).toFixed(1);
        const cost = event.cost_usd > 0 ? `, $${event.cost_usd.toFixed(4)}` : '';
        if (event.is_error)
          this.line(s.red(`✗ turn failed after ${seconds}s${event.result ? `: ${truncate(oneLine(event.result), 200)}` : ''}`));
        else this.line(s.dim(`✓ done in ${seconds}s${cost}`));
        return;
      }
      case 'error':
        this.line(s.red(`error: ${event.message}`));
        return;
      case 'system':
        if (event.subtype === 'init') {
          const model = typeof event.model === 'string' ? event.model : undefined;
          const cwd = typeof event.cwd === 'string' ? event.cwd : undefined;
          this.line(s.dim(`claude started${model ? ` · ${model}` : ''}${cwd ? ` · ${cwd}` : ''}`));
        } else if (event.subtype === 'command_output') {
          if (event.text) this.line(event.text);
        } else if (event.text) {
          this.line(s.dim(`· ${event.text}`));
        }
        return;
    }
  }

  /** Each request once, whether it came from the transcript or from the session's pending list. */
  permission(request: Decision): void {
    if (this.#shownRequests.has(request.request_id)) return;
    this.#shownRequests.add(request.request_id);
    if (request.display.type === 'diff' && request.tool_use_id) this.#diffShownFor.add(request.tool_use_id);
    for (const line of decisionLines(request, this.#options.style, this.#options.markdownWidth?.())) this.line(line);
  }

  removed(reason: RemovalReason): void {
    this.line(this.#options.style.bold(`${REMOVAL_TEXT[reason]} (${reason})`));
  }

  state(session: SessionInfo): void {
    if (session.state === 'failed') this.line(this.#options.style.red(`Session failed: ${session.failure ?? 'unknown reason'}`));
  }

  header(session: SessionInfo): void {
    const s = this.#options.style;
    const demo = session.demo ? ' · demo (the fake Claude answers)' : '';
    this.line(s.dim(`session ${shortId(session.id)} "${session.title}" · ${stateLook(session).label}${demo} · ${session.cwd}`));
  }

  line(text: string): void {
    this.flush();
    this.#options.write(`${text}\n`);
  }

  /** Ends what is being printed: the Markdown still held back (its last line, a table), and the open line. */
  flush(): void {
    for (const [id, stream] of this.#markdown) {
      this.#markdown.delete(id);
      this.#print(stream.end());
    }
    this.endLine();
  }

  /** Before a prompt: held Markdown waits for the rest of its block, only a raw line is ended. */
  endLine(): void {
    if (!this.#lineOpen) return;
    this.#lineOpen = false;
    this.#options.write('\n');
  }

  #print(pieces: readonly MarkdownPiece[]): void {
    const width = this.#options.markdownWidth?.() ?? 80;
    for (const line of markdownLines(pieces, this.#options.style, width)) this.#options.write(`${line}\n`);
  }
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
