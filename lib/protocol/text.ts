/**
 * Control characters (NUL, escapes) and bidirectional overrides (U+202E and kin) make a name
 * show something other than what it is, in a terminal or a page. Emoji joiners stay allowed.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export function isDisplaySafe(text: string): boolean {
  return !UNSAFE.test(text);
}

/** The first line with something on it, trimmed and clipped to `max`; '' when there is none. */
export function firstLine(text: string, max = Infinity): string {
  const line = text.split('\n').find((part) => part.trim() !== '');
  return clip(line?.trim() ?? '', max);
}

/** At most `max` characters: cut with an ellipsis, at a word when one ends near the cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(0, max - 1));
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A zero-width joiner inside an emoji sequence (👩‍💻) draws one picture: the one invisible character kept. */
const EMOJI_JOINER = /(?<=\p{Extended_Pictographic}\uFE0F?)\u200D(?=\p{Extended_Pictographic})/gu;
/** Controls, format characters (zero-width spaces, BOMs, bidi marks), line and paragraph separators, private and unassigned. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]/u;

/**
 * Stricter than `isDisplaySafe`, for names that tell things apart in a list (device labels):
 * nothing that draws nothing, so two labels that look the same are the same text.
 */
export function isVisibleText(text: string): boolean {
  return !INVISIBLE.test(text.replace(EMOJI_JOINER, ''));
}

/** What to print of something thrown: an Error's message, or the value itself. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
