/**
 * Control characters (NUL, escapes) and bidirectional overrides (U+202E and kin) make a name
 * show something other than what it is, in a terminal or a page. Emoji joiners stay allowed.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export function isDisplaySafe(text: string): boolean {
  return !UNSAFE.test(text);
}

/** The first line with something on it, trimmed; '' when there is none. */
export function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? ''
  );
}
