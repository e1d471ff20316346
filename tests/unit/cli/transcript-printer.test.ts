import { describe, expect, it } from 'vitest';
import { makeStyle } from '../../../cli/lib/style.ts';
import { TranscriptPrinter } from '../../../cli/lib/transcript-printer.ts';

function printer(markdown: boolean) {
  const written: string[] = [];
  const print = new TranscriptPrinter({
    style: makeStyle(false),
    write: (text) => written.push(text),
    echoOwnInput: false,
    ...(markdown ? { markdownWidth: () => 40 } : {}),
  });
  const delta = (text: string) => print.event({ type: 'text_delta', message_id: 'm1', text });
  return { print, delta, shown: () => written.join('') };
}

describe('TranscriptPrinter and Markdown', () => {
  it('on a terminal, prints each line of a streamed reply laid out once it is complete, the rest when the reply ends', () => {
    const { print, delta, shown } = printer(true);
    delta('# Plan\n\nDo **th');
    expect(shown()).toBe('Plan\n════\n');
    delta('is** now.\n| a |\n');
    expect(shown()).toBe('Plan\n════\n\nDo this now.\n');
    // A prompt between two chunks leaves the table held back: it may go on.
    print.endLine();
    delta('|---|\n| 1 |');
    expect(shown()).not.toContain('┌');
    print.event({ type: 'text', message_id: 'm1', text: '# Plan\n\nDo **this** now.\n| a |\n|---|\n| 1 |' });
    expect(shown()).toBe('Plan\n════\n\nDo this now.\n┌───┐\n│ a │\n├───┤\n│ 1 │\n└───┘\n');
  });

  it('a reply that arrives whole (history) is laid out at once', () => {
    const { print, shown } = printer(true);
    print.event({ type: 'text', message_id: 'm2', text: '- **one**\n- two' });
    expect(shown()).toBe('• one\n• two\n');
  });

  it("lays out a plan's Markdown under its decision on a terminal, and leaves it as written when piped", () => {
    const plan = { request_id: 'r', tool_name: 'ExitPlanMode', input: {}, suggestions: [], kind: 'plan' as const };
    const display = { type: 'plan' as const, plan: '# Fix it\n\n1. **Read** the parser', file_path: null };
    const terminal = printer(true);
    terminal.print.permission({ ...plan, display });
    expect(terminal.shown()).toContain('\n    Fix it\n    ══════\n\n    1. Read the parser\n');
    const piped = printer(false);
    piped.print.permission({ ...plan, display });
    expect(piped.shown()).toContain('\n    # Fix it\n\n    1. **Read** the parser\n');
  });

  it('piped, prints the text as it arrives, Markdown and all', () => {
    const { print, delta, shown } = printer(false);
    delta('# Plan\n\nDo **th');
    expect(shown()).toBe('# Plan\n\nDo **th');
    print.event({ type: 'error', message: 'interrupted' });
    expect(shown()).toBe('# Plan\n\nDo **th\nerror: interrupted\n');
  });
});
