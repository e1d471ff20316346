import type { ContextUsage, SlashCommand } from '../../protocol/index.ts';
import { isObject } from './json.ts';

const tokens = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : null;

/**
 * Claude's answer to `get_context_usage` as vibes shows it; null when it says nothing usable.
 * `totalTokens` is what the model was given for its latest answer (input, cache reads and writes).
 */
export function contextFromClaude(answer: unknown): ContextUsage | null {
  if (!isObject(answer)) return null;
  const used = tokens(answer.totalTokens);
  const max = tokens(answer.maxTokens);
  if (used === null || max === null || max === 0) return null;
  const percentage = tokens(answer.percentage) ?? Math.round((used / max) * 100);
  const threshold = answer.isAutoCompactEnabled === false ? null : tokens(answer.autoCompactThreshold);
  return {
    used_tokens: used,
    max_tokens: max,
    percentage,
    ...(threshold === null ? {} : { compact_at_percentage: Math.round((threshold / max) * 1000) / 10 }),
  };
}

/** Claude's command list (objects; an older Claude listed bare names), malformed entries left out. */
export function slashCommandsFromClaude(commands: unknown): SlashCommand[] {
  if (!Array.isArray(commands)) return [];
  return commands.flatMap((command): SlashCommand[] => {
    if (typeof command === 'string') return command ? [{ name: command, description: '', argument_hint: '' }] : [];
    if (!isObject(command) || typeof command.name !== 'string' || command.name === '') return [];
    return [
      {
        name: command.name,
        description: typeof command.description === 'string' ? command.description : '',
        argument_hint: typeof command.argumentHint === 'string' ? command.argumentHint : '',
      },
    ];
  });
}
