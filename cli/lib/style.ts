import { styleText } from 'node:util';
import { terminalText, withoutEscapes } from './terminal-text.ts';
import { clip } from '../../lib/protocol/text.ts';

/** Colours only for a terminal that wants them: NO_COLOR, a pipe or TERM=dumb turn them off. */
export function colorsWanted(
  stream: Pick<NodeJS.WriteStream, 'isTTY'> = process.stdout,
  env: Record<string, string | undefined> = process.env,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  italic(text: string): string;
  underline(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  cyan(text: string): string;
  magenta(text: string): string;
}

type StyleName = Exclude<keyof Style, 'enabled'>;
const NAMES: readonly StyleName[] = ['bold', 'dim', 'italic', 'underline', 'red', 'green', 'yellow', 'blue', 'cyan', 'magenta'];

/** Node's own ANSI styling; whether to colour at all is decided once, by colorsWanted (or the caller). */
export function makeStyle(enabled = colorsWanted()): Style {
  const style = (name: StyleName) => (text: string) => (enabled ? styleText(name, text, { validateStream: false }) : text);
  return { enabled, ...(Object.fromEntries(NAMES.map((name) => [name, style(name)])) as Record<StyleName, (text: string) => string>) };
}

/** Width on screen: without colour codes, and without what terminalText will drop. */
export function visibleLength(text: string): number {
  return displayWidth(withoutEscapes(text));
}

/** Columns a plain string takes: wide East Asian characters and emoji take two, combining marks none. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += zeroWidth(char) ? 0 : WIDE.test(char) ? 2 : 1;
  return width;
}

/** Combining marks, zero-width spaces and joiners, and the variation selectors that pick text or emoji. */
function zeroWidth(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return /^\p{M}$/u.test(char) || (code >= 0x200b && code <= 0x200d) || code === 0xfe0e || code === 0xfe0f;
}

const WIDE =
  /^[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]$/u;

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

/** At most `max` characters as shown: a cut never splits what terminalText drops, so it is dropped first. */
export function truncate(text: string, max: number): string {
  return clip(terminalText(text), max);
}
