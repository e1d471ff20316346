import { styleText } from 'node:util';
import { terminalText } from './terminal-text.ts';
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
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  cyan(text: string): string;
  magenta(text: string): string;
}

type StyleName = Exclude<keyof Style, 'enabled'>;
const NAMES: readonly StyleName[] = ['bold', 'dim', 'red', 'green', 'yellow', 'blue', 'cyan', 'magenta'];

/** Node's own ANSI styling; whether to colour at all is decided once, by colorsWanted (or the caller). */
export function makeStyle(enabled = colorsWanted()): Style {
  const style = (name: StyleName) => (text: string) => (enabled ? styleText(name, text, { validateStream: false }) : text);
  return { enabled, ...(Object.fromEntries(NAMES.map((name) => [name, style(name)])) as Record<StyleName, (text: string) => string>) };
}

/** Width on screen: without colour codes, and without what terminalText will drop. */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return terminalText(text).replace(/\u001b\[[0-9;]*m/g, '').length;
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

/** At most `max` characters as shown: a cut never splits what terminalText drops, so it is dropped first. */
export function truncate(text: string, max: number): string {
  return clip(terminalText(text), max);
}
