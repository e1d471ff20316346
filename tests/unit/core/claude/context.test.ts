import { describe, expect, it } from 'vitest';
import { contextFromClaude, slashCommandsFromClaude } from '../../../../lib/core/claude/context.ts';
import { contextNearLimit, describeContext, formatTokens } from '../../../../lib/protocol/index.ts';

describe('the context figure from Claude’s get_context_usage answer', () => {
  it('takes the tokens, the window, the percentage and where compaction starts', () => {
    // As Claude Code 2.1.332 answered after a turn whose usage was 1k input + 2k cache writes + 40k cache reads.
    const answer = { totalTokens: 43_000, maxTokens: 1_000_000, percentage: 4, autoCompactThreshold: 967_000, isAutoCompactEnabled: true };
    expect(contextFromClaude(answer)).toEqual({ used_tokens: 43_000, max_tokens: 1_000_000, percentage: 4, compact_at_percentage: 96.7 });
  });

  it('leaves out the threshold when auto-compaction is off, and says nothing for a malformed answer', () => {
    expect(
      contextFromClaude({ totalTokens: 10, maxTokens: 100, percentage: 10, autoCompactThreshold: 90, isAutoCompactEnabled: false }),
    ).toEqual({
      used_tokens: 10,
      max_tokens: 100,
      percentage: 10,
    });
    expect(contextFromClaude({ totalTokens: 10, maxTokens: 0 })).toBeNull();
    expect(contextFromClaude({ totalTokens: -1, maxTokens: 100 })).toBeNull();
    expect(contextFromClaude('full')).toBeNull();
    expect(contextFromClaude({ totalTokens: 50, maxTokens: 200 })).toEqual({ used_tokens: 50, max_tokens: 200, percentage: 25 });
  });

  it('turns near the compaction point into a warning, in words', () => {
    const context = { used_tokens: 150_000, max_tokens: 200_000, percentage: 75, compact_at_percentage: 83.5 };
    expect(contextNearLimit(context)).toBe(true);
    expect(contextNearLimit({ ...context, used_tokens: 100_000, percentage: 50 })).toBe(false);
    expect(contextNearLimit({ used_tokens: 90, max_tokens: 100, percentage: 90 })).toBe(true);
    expect(describeContext(context)).toBe('Context 75% full: 150k of 200k tokens. Claude compacts the conversation soon at 83.5%');
    expect([formatTokens(950), formatTokens(2_185), formatTokens(30_951), formatTokens(1_000_000)]).toEqual(['950', '2.2k', '31k', '1M']);
  });
});

describe('the slash commands Claude lists', () => {
  it('keeps name, description and argument hint; reads bare names (older Claude) and drops malformed entries', () => {
    expect(
      slashCommandsFromClaude([
        { name: 'hello', description: 'Greets someone (project)', argumentHint: '<name>' },
        { name: 'compact', description: 'Free up context', argumentHint: '', builtin: true, aliases: [] },
        'review',
        { description: 'no name' },
        '',
        42,
      ]),
    ).toEqual([
      { name: 'hello', description: 'Greets someone (project)', argument_hint: '<name>' },
      { name: 'compact', description: 'Free up context', argument_hint: '' },
      { name: 'review', description: '', argument_hint: '' },
    ]);
    expect(slashCommandsFromClaude(undefined)).toEqual([]);
  });
});
