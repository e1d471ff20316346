/** Colours only for a terminal that wants them: NO_COLOR, a pipe or TERM=dumb turn them off. */
export function colorsWanted(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
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

const code = (enabled: boolean, open: number, close: number) => (text: string) =>
  enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;

export function makeStyle(enabled = colorsWanted()): Style {
  return {
    enabled,
    bold: code(enabled, 1, 22),
    dim: code(enabled, 2, 22),
    red: code(enabled, 31, 39),
    green: code(enabled, 32, 39),
    yellow: code(enabled, 33, 39),
    blue: code(enabled, 34, 39),
    cyan: code(enabled, 36, 39),
    magenta: code(enabled, 35, 39),
  };
}

/** Width on screen, not counting colour codes. */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
