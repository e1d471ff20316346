import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted Anthropic Messages API on loopback, for running the real Claude Code binary offline
 * (ANTHROPIC_BASE_URL=model.url). Each test scripts one conversation, found by a unique marker in
 * its first prompt, and says what the model answers to each request of it, in order. Every request
 * is recorded, so a test can read what the model was told (tool results, denials, answers).
 *
 *   const model = await startScriptedModel();
 *   const chat = model.script('mark-41', [
 *     reply(toolUse('Bash', { command: 'touch made.txt' })),
 *     reply(text('Done.')),
 *   ]);
 *   // ... send a prompt containing 'mark-41' ...
 *   chat.requests[1]  // the request that carried the tool_result
 *
 * Requests that match no script (Claude Code's side queries) get a short text answer.
 */

// ---------------------------------------------------------------------------------------------
// What a scripted reply is made of

export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface MessageReply {
  kind: 'message';
  content: ContentBlock[];
  /** Defaults to `tool_use` when a block is a tool call, else `end_turn`. */
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence';
  /** Characters per streamed delta (text, thinking, tool input); small values stream many deltas. */
  chunkSize?: number;
  /** Milliseconds between streamed events, e.g. to interrupt mid-stream. */
  delayMs?: number;
  /** The token counts the model reports for this message (a default small usage otherwise). */
  usage?: Partial<MessageUsage>;
}

export interface MessageUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export interface ErrorReply {
  kind: 'error';
  status: number;
  errorType: string;
  message: string;
}

export type Reply = MessageReply | ErrorReply;

/** A reply computed from the request it answers (e.g. from the latest user content). */
export type ReplyStep = Reply | ((request: RecordedRequest) => Reply);

export const text = (value: string): ContentBlock => ({ type: 'text', text: value });

export const thinking = (value: string): ContentBlock => ({
  type: 'thinking',
  thinking: value,
  signature: randomBytes(24).toString('base64'),
});

let toolUseCounter = 0;
/** A tool call; its id is generated unless given. */
export const toolUse = (name: string, input: Record<string, unknown>, id?: string): ContentBlock => ({
  type: 'tool_use',
  id: id ?? `toolu_scripted_${(++toolUseCounter).toString().padStart(4, '0')}_${randomBytes(6).toString('hex')}`,
  name,
  input,
});

/** One assistant message made of these blocks, in order. */
export function reply(...content: ContentBlock[]): MessageReply {
  return { kind: 'message', content };
}

/** The same, with streaming options (chunk size, pacing, stop reason). */
export function replyWith(options: Omit<MessageReply, 'kind' | 'content'>, ...content: ContentBlock[]): MessageReply {
  return { kind: 'message', content, ...options };
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** An error body as the API sends it: 529 overloaded, 429 rate limited, 401 authentication, 500 api error. */
export function apiError(status: 529 | 429 | 401 | 500 | 400 | 403, message?: string): ErrorReply {
  const errorType = ERROR_TYPES[status] ?? 'api_error';
  return { kind: 'error', status, errorType, message: message ?? `Scripted ${errorType}` };
}

// ---------------------------------------------------------------------------------------------
// What was asked

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/v1/messages?beta=true`. */
  path: string;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body (messages, system, tools, stream, model, ...). */
  body: MessageRequestBody;
  /** Which script answered it, or null for the default answer. */
  script: string | null;
}

export interface MessageRequestBody {
  model?: string;
  stream?: boolean;
  max_tokens?: number;
  system?: unknown;
  tools?: { name: string }[];
  messages?: { role: string; content: string | Record<string, unknown>[] }[];
  [key: string]: unknown;
}

/** The text of a message's content, `<system-reminder>` blocks left out. */
export function contentText(content: string | Record<string, unknown>[] | undefined): string {
  if (content === undefined) return '';
  if (typeof content === 'string') return content;
  return content
    .filter((block) => block.type === 'text' && typeof block.text === 'string' && !block.text.startsWith('<system-reminder>'))
    .map((block) => block.text as string)
    .join('\n');
}

const userMessages = (request: { body: MessageRequestBody }) => (request.body.messages ?? []).filter((message) => message.role === 'user');

/** The latest user message's text (the prompt, or a tool result's text), reminders left out. */
export function latestUserText(request: { body: MessageRequestBody }): string {
  const latest = userMessages(request).at(-1);
  if (!latest) return '';
  if (typeof latest.content === 'string') return latest.content;
  return latest.content
    .map((block) =>
      block.type === 'tool_result'
        ? toolResultText(block)
        : block.type === 'text' && typeof block.text === 'string' && !block.text.startsWith('<system-reminder>')
          ? block.text
          : '',
    )
    .filter((part) => part !== '')
    .join('\n');
}

/** An image block of the latest user message, as the model receives it. */
export interface ImageBlock {
  media_type: string;
  data: string;
}

/** The image blocks the latest user message carries (what the model is shown). */
export function imageBlocks(request: { body: MessageRequestBody }): ImageBlock[] {
  const latest = userMessages(request).at(-1);
  if (!latest || typeof latest.content === 'string') return [];
  return latest.content.flatMap((block) => {
    const source = block.source as { type?: unknown; media_type?: unknown; data?: unknown } | undefined;
    return block.type === 'image' && source?.type === 'base64' && typeof source.data === 'string'
      ? [{ media_type: String(source.media_type), data: source.data }]
      : [];
  });
}

/**
 * What a model would make of the images it was sent: each one's type and, for a PNG, the size its
 * header gives. A reply step can answer with it, so a test sees that a real image arrived intact.
 */
export function describeImages(request: { body: MessageRequestBody }): string {
  const images = imageBlocks(request).map((image) => {
    const bytes = Buffer.from(image.data, 'base64');
    const isPng = bytes.subarray(1, 4).toString('latin1') === 'PNG' && bytes.subarray(12, 16).toString('latin1') === 'IHDR';
    return isPng ? `a ${bytes.readUInt32BE(16)}×${bytes.readUInt32BE(20)} PNG` : `an image (${image.media_type})`;
  });
  return images.length === 0 ? 'I see no image.' : `I see ${images.join(' and ')}.`;
}

export interface ToolResult {
  tool_use_id: string;
  is_error: boolean;
  text: string;
}

/** The tool results the latest user message carries (what the model is told about its calls). */
export function toolResults(request: { body: MessageRequestBody }): ToolResult[] {
  const latest = userMessages(request).at(-1);
  if (!latest || typeof latest.content === 'string') return [];
  return latest.content
    .filter((block) => block.type === 'tool_result')
    .map((block) => ({ tool_use_id: String(block.tool_use_id), is_error: block.is_error === true, text: toolResultText(block) }));
}

function toolResultText(block: Record<string, unknown>): string {
  const content = block.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) =>
        typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string' ? part.text : '',
      )
      .join('\n');
  }
  return '';
}

/** Everything the request says, as one string, for a quick `toContain`. */
export function requestText(request: { body: MessageRequestBody }): string {
  return JSON.stringify(request.body.messages ?? []);
}

// ---------------------------------------------------------------------------------------------
// The scripts and the server

export class Script {
  readonly marker: string | RegExp;
  /** The requests of this conversation, in the order they came. */
  readonly requests: RecordedRequest[] = [];
  readonly #steps: ReplyStep[];
  readonly #fallback: ReplyStep | undefined;
  #waiters = new Set<() => void>();

  constructor(marker: string | RegExp, steps: ReplyStep[], fallback?: ReplyStep) {
    this.marker = marker;
    this.#steps = [...steps];
    this.#fallback = fallback;
  }

  /** Scripted replies not yet used. */
  get remaining(): number {
    return this.#steps.length;
  }

  /** Adds replies at the end, for a conversation that goes on. */
  then(...steps: ReplyStep[]): this {
    this.#steps.push(...steps);
    return this;
  }

  /** Waits until this conversation has made `count` requests. */
  async waitForRequests(count: number, timeoutMs = 60_000): Promise<RecordedRequest[]> {
    if (this.requests.length >= count) return this.requests;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out waiting for request ${count} of script ${String(this.marker)} (got ${this.requests.length})`));
      }, timeoutMs);
      const check = () => {
        if (this.requests.length < count) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(this.requests);
      };
      this.#waiters.add(check);
    });
  }

  /** @internal */
  answer(request: RecordedRequest): Reply {
    this.requests.push(request);
    for (const waiter of [...this.#waiters]) waiter();
    const step = this.#steps.shift() ?? this.#fallback;
    if (step === undefined) return reply(text(`(the script for ${String(this.marker)} has no reply left)`));
    return typeof step === 'function' ? step(request) : step;
  }

  /** @internal */
  matches(firstPrompt: string): boolean {
    return typeof this.marker === 'string' ? firstPrompt.includes(this.marker) : this.marker.test(firstPrompt);
  }
}

export interface ScriptedModel {
  /** The base URL for ANTHROPIC_BASE_URL. */
  readonly url: string;
  /** Every request, scripted or not, in order. */
  readonly requests: RecordedRequest[];
  /**
   * Scripts the conversation whose first user prompt contains `marker` (use a marker unique to the
   * test). Its requests get `steps` in order; once they run out, `fallback` (default: a short text).
   * Requests without tools (Claude Code's side queries: titles, summaries) are not counted unless
   * `sideQueries` is set, so a script sees only the main loop.
   */
  script(marker: string | RegExp, steps: ReplyStep[], options?: { fallback?: ReplyStep; sideQueries?: boolean }): Script;
  close(): Promise<void>;
}

/** Starts a scripted Messages API on 127.0.0.1, on a free port. */
export async function startScriptedModel(): Promise<ScriptedModel> {
  const requests: RecordedRequest[] = [];
  const scripts: { script: Script; sideQueries: boolean }[] = [];
  let messageCounter = 0;

  const route = (body: MessageRequestBody): { script: Script | null; reply: (request: RecordedRequest) => Reply } => {
    const first = contentText(userMessages({ body })[0]?.content);
    const isMainLoop = (body.tools?.length ?? 0) > 0;
    for (const { script, sideQueries } of scripts) {
      if (!script.matches(first)) continue;
      if (!isMainLoop && !sideQueries) break;
      return { script, reply: (request) => script.answer(request) };
    }
    return { script: null, reply: () => reply(text('OK.')) };
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '/';
      if (req.method !== 'POST' || !url.startsWith('/v1/messages')) {
        // count_tokens and anything else Claude Code may try: a plain, harmless answer.
        const countTokens = url.startsWith('/v1/messages/count_tokens');
        res.writeHead(countTokens ? 200 : 404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(countTokens ? { input_tokens: 10 } : { type: 'error', error: { type: 'not_found_error', message: `no ${url}` } }),
        );
        return;
      }
      let body: MessageRequestBody;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as MessageRequestBody;
      } catch {
        sendError(res, apiError(400, 'the body is not JSON'));
        return;
      }
      const { script, reply: answer } = route(body);
      const request: RecordedRequest = {
        method: req.method,
        path: url,
        headers: req.headers,
        body,
        script: script ? String(script.marker) : null,
      };
      requests.push(request);
      let result: Reply;
      try {
        result = answer(request);
      } catch (error) {
        result = apiError(500, `the script threw: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (result.kind === 'error') sendError(res, result);
      else if (body.stream) void streamMessage(res, result, body.model ?? 'claude-scripted', `msg_scripted_${++messageCounter}`);
      else sendMessage(res, result, body.model ?? 'claude-scripted', `msg_scripted_${++messageCounter}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(marker, steps, options = {}) {
      const script = new Script(marker, steps, options.fallback);
      scripts.push({ script, sideQueries: options.sideQueries ?? false });
      return script;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const USAGE: MessageUsage = { input_tokens: 25, output_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

function usageOf(message: MessageReply): MessageUsage {
  return { ...USAGE, ...message.usage };
}

function stopReasonOf(message: MessageReply): string {
  return message.stopReason ?? (message.content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn');
}

function sendError(res: ServerResponse, error: ErrorReply): void {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'request-id': `req_scripted_${randomBytes(6).toString('hex')}`,
  };
  // A short retry-after keeps Claude Code's retries quick.
  if (error.status === 429 || error.status === 529) headers['retry-after'] = '0';
  res.writeHead(error.status, headers);
  res.end(JSON.stringify({ type: 'error', error: { type: error.errorType, message: error.message } }));
}

function sendMessage(res: ServerResponse, message: MessageReply, model: string, id: string): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: message.content,
      stop_reason: stopReasonOf(message),
      stop_sequence: null,
      usage: usageOf(message),
    }),
  );
}

async function streamMessage(res: ServerResponse, message: MessageReply, model: string, id: string): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const pause = () => (message.delayMs ? new Promise((resolve) => setTimeout(resolve, message.delayMs)) : Promise.resolve());
  const send = async (event: string, data: Record<string, unknown>) => {
    if (res.destroyed) return;
    res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
    await pause();
  };
  const chunks = (value: string) => {
    const size = Math.max(1, message.chunkSize ?? 12);
    const parts: string[] = [];
    for (let i = 0; i < value.length; i += size) parts.push(value.slice(i, i + size));
    return parts.length > 0 ? parts : [''];
  };

  await send('message_start', {
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...usageOf(message), output_tokens: 1 },
    },
  });
  for (const [index, block] of message.content.entries()) {
    if (block.type === 'text') {
      await send('content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const part of chunks(block.text)) await send('content_block_delta', { index, delta: { type: 'text_delta', text: part } });
    } else if (block.type === 'thinking') {
      await send('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      for (const part of chunks(block.thinking))
        await send('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: part } });
      await send('content_block_delta', { index, delta: { type: 'signature_delta', signature: block.signature } });
    } else {
      await send('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
      for (const part of chunks(JSON.stringify(block.input))) {
        await send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } });
      }
    }
    await send('content_block_stop', { index });
  }
  await send('message_delta', {
    delta: { stop_reason: stopReasonOf(message), stop_sequence: null },
    usage: { output_tokens: usageOf(message).output_tokens },
  });
  await send('message_stop', {});
  res.end();
}
