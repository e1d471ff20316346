import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { CommandCompleter, completionsFor } from '../../../cli/lib/command-completer.ts';
import type { SlashCommand } from '../../../lib/protocol/index.ts';

const COMMANDS: SlashCommand[] = [
  { name: 'hello', description: 'Greets someone (project)', argument_hint: '<name>' },
  { name: 'compact', description: 'Free up context', argument_hint: '' },
  { name: 'context', description: 'Show current context usage', argument_hint: '' },
];

/** A terminal readline over in-memory streams, as the session console makes it. */
function terminal(completer: CommandCompleter) {
  const input = new PassThrough();
  const output = new PassThrough();
  output.resume();
  const rl = createInterface({ input, output, terminal: true, completer: completer.complete });
  return { rl, type: (text: string) => input.write(text) };
}

describe('slash-command completion in the session console', () => {
  it('completes a command name in place on Tab', async () => {
    const load = vi.fn(async () => COMMANDS);
    const { rl, type } = terminal(new CommandCompleter(load, () => 'claude-1'));
    type('/he\t');
    await vi.waitFor(() => expect(rl.line).toBe('/hello '));
    // Two that share a start: completed as far as they agree.
    type('\u0015/co\t');
    await vi.waitFor(() => expect(rl.line).toBe('/co'));
    type('m\t');
    await vi.waitFor(() => expect(rl.line).toBe('/compact '));
    // Fetched once for the attach.
    expect(load).toHaveBeenCalledTimes(1);
    rl.close();
  });

  it('leaves other lines alone, fetches again for another Claude session, and again after a failed fetch', async () => {
    let key = 'claude-1';
    const load = vi.fn(async () => COMMANDS).mockRejectedValueOnce(new Error('Claude is not running'));
    const completer = new CommandCompleter(load, () => key);
    const complete = (line: string) =>
      new Promise<[string[], string]>((resolve) => completer.complete(line, (_error, result) => resolve(result)));
    expect(await complete('hello /he')).toEqual([[], 'hello /he']);
    expect(await complete('/hello wo')).toEqual([[], '/hello wo']);
    expect(load).not.toHaveBeenCalled();
    expect(await complete('/')).toEqual([[], '/']);
    expect(await complete('/')).toEqual([['/hello ', '/compact ', '/context '], '/']);
    key = 'claude-2';
    await complete('/x');
    expect(load).toHaveBeenCalledTimes(3);
    expect(completionsFor(COMMANDS, 'CON')).toEqual(['/context ']);
    expect(completionsFor([...COMMANDS, { name: 'hello', description: 'Another hello', argument_hint: '' }], 'h')).toEqual(['/hello ']);
  });
});
