import { formatTokens, PermissionMode, type FileDiff, type TranscriptEvent, type Usage } from '../../protocol/index.ts';
import type { AgentEvent } from '../agent.ts';
import { diffFromPatch, isPatchHunks, wholeFile } from './decisions/file-diff.ts';
import { roundUsd } from '../summary.ts';
import { isObject, type Json } from './json.ts';

const stringOr = <T>(value: unknown, fallback: T): string | T => (typeof value === 'string' ? value : fallback);
const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0);

/**
 * Turns the messages Claude Code prints (as the Agent SDK hands them over) into agent events.
 * Pure apart from what it remembers between messages (the message being streamed); anything it
 * does not know, or that is malformed, maps to nothing.
 */
export class ClaudeMessageMapper {
  #streamingMessageId: string | null = null;
  #lastInit: string | null = null;
  /** Claude's `total_cost_usd` is a running total for its process: a turn costs the step from the last one. */
  #reportedCostUsd = 0;

  map(message: unknown): AgentEvent[] {
    if (!isObject(message)) return [];
    switch (message.type) {
      case 'system':
        return this.#system(message);
      case 'stream_event':
        return this.#streamEvent(message);
      case 'assistant':
        return transcript(this.#assistant(message));
      case 'user':
        return transcript(this.#user(message));
      case 'result':
        return transcript(this.#result(message));
      default:
        return [];
    }
  }

  #system(message: Json): AgentEvent[] {
    // Claude reports its mode with init and status.
    const mode = PermissionMode.safeParse(message.permissionMode);
    const modeEvents: AgentEvent[] = mode.success ? [{ type: 'permission_mode', mode: mode.data }] : [];
    switch (message.subtype) {
      case 'init': {
        const sessionId = stringOr(message.session_id, null);
        if (sessionId === null) return [];
        const model = stringOr(message.model, null);
        const cwd = stringOr(message.cwd, null);
        // The CLI repeats init at every turn; only a change (a /clear, a resume, a model switch) is news.
        const identity = JSON.stringify([sessionId, model, cwd]);
        if (identity === this.#lastInit) return modeEvents;
        this.#lastInit = identity;
        const version = stringOr(message.claude_code_version, null);
        return [
          { type: 'claude_session', claude_session_id: sessionId, model },
          {
            type: 'transcript',
            event: {
              type: 'system',
              subtype: 'init',
              session_id: sessionId,
              model,
              cwd,
              permission_mode: stringOr(message.permissionMode, null),
              claude_code_version: version,
              text: `Claude Code${version ? ` ${version}` : ''} started${model ? ` with ${model}` : ''}${cwd ? ` in ${cwd}` : ''}`,
            },
          },
          ...modeEvents,
        ];
      }
      case 'compact_boundary': {
        const metadata = isObject(message.compact_metadata) ? message.compact_metadata : {};
        const trigger = stringOr(metadata.trigger, null);
        const tokens = count(metadata.pre_tokens);
        const after = typeof metadata.post_tokens === 'number' ? count(metadata.post_tokens) : null;
        const how = trigger === 'auto' ? ' automatically' : trigger === 'manual' ? ' on request' : '';
        const sizes =
          tokens > 0 && after !== null
            ? `: ${formatTokens(tokens)} → ${formatTokens(after)} tokens`
            : tokens > 0
              ? `: ${formatTokens(tokens)} tokens before`
              : '';
        return transcript([
          {
            type: 'system',
            subtype: 'compact_boundary',
            trigger,
            pre_tokens: tokens,
            ...(after === null ? {} : { post_tokens: after }),
            text: `Conversation compacted${how}${sizes}`,
          },
        ]);
      }
      case 'status': {
        if (message.status === 'compacting') {
          return [...modeEvents, ...transcript([{ type: 'system', subtype: 'compacting', text: 'Compacting the conversation…' }])];
        }
        if (message.compact_result !== 'failed') return modeEvents;
        const error = stringOr(message.compact_error, null);
        return [
          ...modeEvents,
          ...transcript([{ type: 'system', subtype: 'compact_failed', text: `Compacting failed${error ? `: ${error}` : ''}` }]),
        ];
      }
      case 'task_started': {
        const description = stringOr(message.description, null);
        return transcript([
          {
            type: 'system',
            subtype: 'task_started',
            task_id: stringOr(message.task_id, null),
            tool_use_id: stringOr(message.tool_use_id, null),
            description,
            text: description ? `Task started: ${description}` : 'Task started',
          },
        ]);
      }
      case 'task_notification': {
        const status = stringOr(message.status, null);
        const summary = stringOr(message.summary, null);
        return transcript([
          {
            type: 'system',
            subtype: 'task_notification',
            task_id: stringOr(message.task_id, null),
            tool_use_id: stringOr(message.tool_use_id, null),
            status,
            summary,
            text: `Task ${TASK_STATUS_WORDS[status ?? ''] ?? status ?? 'update'}${summary ? `: ${summary}` : ''}`,
          },
        ]);
      }
      case 'api_retry': {
        const attempt = count(message.attempt);
        const maxRetries = count(message.max_retries);
        const delayMs = count(message.retry_delay_ms);
        const errorStatus = typeof message.error_status === 'number' ? message.error_status : null;
        const parts = [
          `attempt ${attempt}${maxRetries > 0 ? ` of ${maxRetries}` : ''}`,
          delayMs > 0 ? `in ${formatSeconds(delayMs)}` : null,
          errorStatus === null ? null : `after error ${errorStatus}`,
        ].filter(Boolean);
        return transcript([
          {
            type: 'system',
            subtype: 'api_retry',
            attempt,
            max_retries: maxRetries,
            retry_delay_ms: delayMs,
            error_status: errorStatus,
            text: `Retrying the API: ${parts.join(', ')}`,
          },
        ]);
      }
      default:
        return [];
    }
  }

  #streamEvent(message: Json): AgentEvent[] {
    // A subagent's partial text would read as the main agent's; its whole blocks follow anyway.
    if (message.parent_tool_use_id !== null && message.parent_tool_use_id !== undefined) return [];
    const event = message.event;
    if (!isObject(event)) return [];
    if (event.type === 'message_start') {
      this.#streamingMessageId = isObject(event.message) ? stringOr(event.message.id, null) : null;
      return [];
    }
    if (event.type === 'message_stop') {
      this.#streamingMessageId = null;
      return [];
    }
    if (event.type !== 'content_block_delta' || !isObject(event.delta) || this.#streamingMessageId === null) return [];
    const { delta } = event;
    if (delta.type !== 'text_delta' || typeof delta.text !== 'string' || delta.text === '') return [];
    return transcript([{ type: 'text_delta', message_id: this.#streamingMessageId, text: delta.text }]);
  }

  #assistant(message: Json): TranscriptEvent[] {
    const body = message.message;
    if (!isObject(body) || !Array.isArray(body.content)) return [];
    const messageId = stringOr(body.id, stringOr(message.uuid, 'unknown'));
    const parent = stringOr(message.parent_tool_use_id, null);
    const nested = parent === null ? {} : { parent_tool_use_id: parent };
    const events: TranscriptEvent[] = [];
    for (const block of body.content) {
      if (!isObject(block)) continue;
      switch (block.type) {
        case 'text':
          if (typeof block.text === 'string') events.push({ type: 'text', message_id: messageId, text: block.text, ...nested });
          break;
        case 'thinking':
          // With thinking display off the block carries only a signature: nothing to show.
          if (typeof block.thinking === 'string' && block.thinking !== '')
            events.push({ type: 'thinking', text: block.thinking, ...nested });
          break;
        case 'tool_use':
        case 'server_tool_use':
        case 'mcp_tool_use':
          if (typeof block.id === 'string' && typeof block.name === 'string') {
            events.push({
              type: 'tool_use',
              tool_use_id: block.id,
              name: block.name,
              input: block.input ?? {},
              parent_tool_use_id: parent,
            });
          }
          break;
        default:
          break;
      }
    }
    return events;
  }

  #user(message: Json): TranscriptEvent[] {
    const body = message.message;
    if (!isObject(body)) return [];
    const parent = stringOr(message.parent_tool_use_id, null);
    const content = body.content;
    if (typeof content === 'string') return commandOutput(message, content);
    if (!Array.isArray(content)) return [];
    const events: TranscriptEvent[] = [];
    const results = content.filter((block) => isObject(block) && block.type === 'tool_result').length;
    // Claude Code's structured result belongs to the message's one tool result.
    const diff = results === 1 ? diffOfResult(message.tool_use_result) : null;
    for (const block of content) {
      if (!isObject(block)) continue;
      if (block.type === 'tool_result' && typeof block.tool_use_id === 'string') {
        events.push({
          type: 'tool_result',
          tool_use_id: block.tool_use_id,
          content: block.content ?? '',
          is_error: block.is_error === true,
          parent_tool_use_id: parent,
          ...(diff && block.is_error !== true ? { diff } : {}),
        });
      } else if (block.type === 'text' && typeof block.text === 'string') {
        events.push(...commandOutput(message, block.text));
      }
    }
    return events;
  }

  #result(message: Json): TranscriptEvent[] {
    const usage: Usage = { input_tokens: 0, output_tokens: 0 };
    if (isObject(message.usage)) {
      usage.input_tokens = count(message.usage.input_tokens);
      usage.output_tokens = count(message.usage.output_tokens);
      for (const key of ['cache_read_input_tokens', 'cache_creation_input_tokens'] as const) {
        if (typeof message.usage[key] === 'number') usage[key] = count(message.usage[key]);
      }
    }
    const errors = Array.isArray(message.errors)
      ? message.errors.filter((error): error is string => typeof error === 'string' && error.trim() !== '')
      : [];
    const text = typeof message.result === 'string' ? message.result : errors.length > 0 ? errors.join('; ') : undefined;
    const total = count(message.total_cost_usd);
    const turnCostUsd = roundUsd(Math.max(0, total - this.#reportedCostUsd));
    this.#reportedCostUsd = Math.max(this.#reportedCostUsd, total);
    return [
      {
        type: 'turn_complete',
        is_error: message.is_error === true,
        duration_ms: count(message.duration_ms),
        cost_usd: turnCostUsd,
        usage,
        ...(text === undefined ? {} : { result: text }),
      },
    ];
  }
}

const TASK_STATUS_WORDS: Record<string, string> = { completed: 'finished', failed: 'failed', stopped: 'stopped', killed: 'stopped' };

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** The diff of an edit Claude Code made, from its Edit/Write result (`structuredPatch`). */
function diffOfResult(result: unknown): FileDiff | null {
  if (!isObject(result) || typeof result.filePath !== 'string') return null;
  const created = result.type === 'create';
  if (isPatchHunks(result.structuredPatch) && result.structuredPatch.length > 0) {
    return diffFromPatch(result.filePath, result.structuredPatch, created);
  }
  if (created && typeof result.content === 'string') return wholeFile(result.filePath, result.content);
  return null;
}

const LOCAL_COMMAND_OUTPUT = /<local-command-stdout>([\s\S]*?)<\/local-command-stdout>/;

/** What a slash command such as /compact printed; other user text (prompts, summaries) is not Claude's to show. */
function commandOutput(message: Json, text: string): TranscriptEvent[] {
  if (message.isReplay !== true) return [];
  const match = LOCAL_COMMAND_OUTPUT.exec(text);
  if (!match) return [];
  return [{ type: 'system', subtype: 'command_output', text: (match[1] ?? '').trim() }];
}

function transcript(events: TranscriptEvent[]): AgentEvent[] {
  return events.map((event) => ({ type: 'transcript', event }));
}
