import { REMOVAL_TEXT, summarizeInput } from '../../lib/client/shared/labels.ts';
import { CLAUDE_CLIENT_ID, type PendingPermission, type RemovalReason, type SessionInfo, type TranscriptEvent } from '../../lib/protocol/index.ts';
import { shortId } from './ids.ts';
import type { Style } from './style.ts';
import { truncate } from './style.ts';

export interface PrinterOptions {
  style: Style;
  write: (text: string) => void;
  /** This process's client id: its own input is already on screen in a terminal. */
  ownClientId?: string;
  echoOwnInput: boolean;
}

/**
 * A session's transcript as compact terminal text: deltas as they arrive (and not the final text
 * again), one line per tool call and result, permission requests with their input.
 */
export class TranscriptPrinter {
  readonly #options: PrinterOptions;
  readonly #streamed = new Set<string>();
  readonly #shownRequests = new Set<string>();
  #lineOpen = false;

  constructor(options: PrinterOptions) {
    this.#options = options;
  }

  /** True while a streamed text has no newline yet. */
  get lineOpen(): boolean {
    return this.#lineOpen;
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
        this.#options.write(event.text);
        this.#lineOpen = !event.text.endsWith('\n');
        return;
      case 'text':
        if (this.#streamed.has(event.message_id)) {
          this.endLine();
          return;
        }
        this.line(event.text.replace(/\n+$/, ''));
        return;
      case 'user_input': {
        const own = event.client_id === this.#options.ownClientId;
        if (own && !this.#options.echoOwnInput) return;
        const who = own ? '' : s.dim(` (${event.source})`);
        this.line(`${s.bold(s.cyan('›'))} ${event.content}${who}${event.queued ? s.dim(' (queued)') : ''}`);
        return;
      }
      case 'thinking':
        this.line(s.dim(`✻ ${truncate(oneLine(event.text), 160)}`));
        return;
      case 'tool_use':
        this.line(`${s.magenta('●')} ${s.bold(event.name)}${s.dim(`(${truncate(summarizeInput(event.input), 120)})`)}`);
        return;
      case 'tool_result': {
        const text = resultText(event.content);
        const lines = text.split('\n').filter((line) => line.trim() !== '');
        const first = truncate(lines[0] ?? '(no output)', 120);
        const more = lines.length > 1 ? s.dim(` (+${lines.length - 1} lines)`) : '';
        this.line(`  ${s.dim('⎿')} ${event.is_error ? s.red(first) : s.dim(first)}${more}`);
        return;
      }
      case 'permission_request':
        this.permission({ request_id: event.request_id, tool_name: event.tool_name, input: event.input, ...(event.title ? { title: event.title } : {}) });
        return;
      case 'permission_resolved': {
        const verdict = event.behavior === 'allow' ? s.green('✓ allowed') : s.red('✗ denied');
        const who = event.client_id === this.#options.ownClientId ? 'you' : event.client_id === CLAUDE_CLIENT_ID ? 'Claude withdrew it' : 'another client';
        this.line(`  ${verdict}${s.dim(` (${who}${event.message ? `: ${event.message}` : ''})`)}`);
        return;
      }
      case 'turn_complete': {
        const seconds = (event.duration_ms / 1000).toFixed(1);
        const cost = event.cost_usd > 0 ? `, $${event.cost_usd.toFixed(4)}` : '';
        if (event.is_error) this.line(s.red(`✗ turn failed after ${seconds}s${event.result ? `: ${truncate(oneLine(event.result), 200)}` : ''}`));
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
        }
        return;
    }
  }

  /** Each request once, whether it came from the transcript or from the session's pending list. */
  permission(request: Pick<PendingPermission, 'request_id' | 'tool_name' | 'input' | 'title'>): void {
    if (this.#shownRequests.has(request.request_id)) return;
    this.#shownRequests.add(request.request_id);
    const s = this.#options.style;
    this.line(s.yellow(s.bold(`⚠ Permission needed: ${request.tool_name}`)) + (request.title ? ` — ${request.title}` : ''));
    for (const detail of describeInput(request.input)) this.line(`    ${detail}`);
  }

  removed(reason: RemovalReason): void {
    this.line(this.#options.style.bold(`${REMOVAL_TEXT[reason]} (${reason})`));
  }

  state(session: SessionInfo): void {
    if (session.state === 'failed') this.line(this.#options.style.red(`Session failed: ${session.failure ?? 'unknown reason'}`));
  }

  header(session: SessionInfo): void {
    const s = this.#options.style;
    this.line(s.dim(`session ${shortId(session.id)}${session.name ? ` "${session.name}"` : ''} · ${session.state} · ${session.cwd}`));
  }

  line(text: string): void {
    this.endLine();
    this.#options.write(`${text}\n`);
  }

  endLine(): void {
    if (!this.#lineOpen) return;
    this.#lineOpen = false;
    this.#options.write('\n');
  }
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Every field of a permission request's input, long values cut, so the user sees what they approve. */
function describeInput(input: Record<string, unknown>): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const valueLines = (text ?? '').split('\n');
    const shown = valueLines.slice(0, 12).map((line) => truncate(line, 200));
    lines.push(`${key}: ${shown[0] ?? ''}`, ...shown.slice(1).map((line) => `  ${line}`));
    if (valueLines.length > 12) lines.push(`  … ${valueLines.length - 12} more lines`);
  }
  return lines;
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((block: unknown) =>
        block && typeof block === 'object' && typeof (block as { text?: unknown }).text === 'string' ? (block as { text: string }).text : '',
      )
      .join('\n');
  }
  return content === undefined || content === null ? '' : JSON.stringify(content);
}
