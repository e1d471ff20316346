/** Claude's system notes in words a person reads, never a raw subtype such as `task_started`. */
export function describeSystemNote(event: Record<string, unknown> & { subtype: string }): string {
  const text = (field: string) => (typeof event[field] === 'string' && event[field] ? (event[field] as string) : null);
  const number = (field: string) => (typeof event[field] === 'number' ? (event[field] as number) : null);
  switch (event.subtype) {
    case 'init': {
      const parts = ['Claude started'];
      const model = text('model');
      if (model) parts.push(`model ${model}`);
      const mode = text('permission_mode');
      if (mode) parts.push(`${MODE_WORDS[mode] ?? mode} mode`);
      const cwd = text('cwd');
      if (cwd) parts.push(`in ${cwd}`);
      return parts.join(' · ');
    }
    case 'compact_boundary': {
      const tokens = number('pre_tokens');
      const how = text('trigger') === 'auto' ? 'automatically' : null;
      return ['Conversation compacted', how, tokens ? `from ${tokens.toLocaleString('en-US')} tokens` : null].filter(Boolean).join(' ');
    }
    case 'status':
      return text('status') === 'compacting' ? 'Compacting the conversation…' : `Status: ${text('status') ?? 'unknown'}`;
    case 'api_retry': {
      const attempt = number('attempt');
      const max = number('max_retries');
      const delay = number('retry_delay_ms');
      const status = number('error_status');
      return [
        `Retrying the API${attempt !== null && max ? `, attempt ${attempt} of ${max}` : ''}`,
        status ? `(error ${status})` : null,
        delay ? `in ${(delay / 1000).toFixed(1)} s` : null,
      ]
        .filter(Boolean)
        .join(' ');
    }
    case 'task_started':
      return `Subagent started${text('description') ? `: ${text('description')}` : ''}`;
    case 'task_notification': {
      const status = text('status');
      const summary = text('summary');
      return `Subagent ${status === 'completed' ? 'finished' : status === 'failed' ? 'failed' : (status ?? 'reported')}${summary ? `: ${summary}` : ''}`;
    }
    case 'command_output':
      return text('text') ?? 'Command ran';
    case 'permission_mode':
    case 'permission_mode_changed': {
      const mode = text('mode') ?? text('permission_mode');
      return `Permission mode: ${mode ? (MODE_WORDS[mode] ?? mode) : 'changed'}`;
    }
    case 'model':
    case 'model_changed':
      return `Model: ${text('model') ?? 'changed'}`;
    default: {
      const message = text('message');
      const words = event.subtype.replace(/[_-]+/g, ' ');
      return message ? `${words[0]?.toUpperCase() ?? ''}${words.slice(1)}: ${message}` : `${words[0]?.toUpperCase() ?? ''}${words.slice(1)}`;
    }
  }
}

/** Permission modes as a person names them. */
export const MODE_WORDS: Record<string, string> = {
  default: 'Ask before edits',
  acceptEdits: 'Accept edits',
  plan: 'Plan',
  bypassPermissions: 'Bypass permissions',
  dontAsk: "Don't ask",
  auto: 'Auto',
};
