import { describe, expect, it } from 'vitest';
import { colorsWanted, makeStyle, padEnd, visibleLength } from '../../../cli/lib/style.ts';

describe('terminal style', () => {
  it('colours only when enabled, and measures text without its colour codes', () => {
    const on = makeStyle(true);
    expect(on.red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(on.bold(on.green('ok')).startsWith('\u001b[1m\u001b[32mok')).toBe(true);
    expect(visibleLength(on.cyan('four'))).toBe(4);
    expect(padEnd(on.dim('ab'), 4)).toBe(`${on.dim('ab')}  `);
    expect(makeStyle(false).red('x')).toBe('x');
  });

  it('follows NO_COLOR, FORCE_COLOR and whether the stream is a terminal', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(colorsWanted(tty, {})).toBe(true);
    expect(colorsWanted(pipe, {})).toBe(false);
    expect(colorsWanted(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colorsWanted(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorsWanted(tty, { TERM: 'dumb' })).toBe(false);
  });
});
