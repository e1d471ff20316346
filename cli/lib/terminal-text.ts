/*
 * What reaches the terminal goes through terminalText: text from the server (titles, model names,
 * device labels, transcripts, error messages) may hold escape sequences that clear the screen,
 * move the cursor over what was printed, retitle the window or write the clipboard (OSC 52).
 */

/** The SGR parameters Style (node's styleText) writes: bold, dim, italic, underline, six colours and their resets. */
const OWN_SGR = new Set(['1', '2', '22', '3', '23', '4', '24', '31', '32', '33', '34', '35', '36', '39']);

// One pattern, tried left to right: string sequences (OSC, DCS, SOS, PM, APC) ended by BEL or ST,
// CSI sequences, other escapes, then single characters no terminal should get from a server:
// C0 controls but tab and newline, DEL, C1 controls, and bidirectional overrides and isolates.
const UNSAFE =
  // eslint-disable-next-line no-control-regex
  /\u001b[\]PX^_][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b\[[0-?]*[ -/]*[@-~]|\u001b[ -/]*[0-~]?|\r\n|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` as a terminal should see it: every control sequence and control character is dropped
 * (CR LF becomes LF), except newlines, tabs and the colours this CLI itself uses. Those colours
 * cannot hide or move text, so keeping them from any source is harmless.
 */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, (match) => (match === '\r\n' ? '\n' : ownColour(match) ? match : ''));
}

/** `text` with no control sequence at all, not even a colour: what is laid out before this CLI styles it. */
export function withoutEscapes(text: string): string {
  // eslint-disable-next-line no-control-regex
  return terminalText(text).replace(/\u001b\[[0-9;]*m/g, '');
}

function ownColour(sequence: string): boolean {
  // eslint-disable-next-line no-control-regex
  const sgr = /^\u001b\[([0-9;]*)m$/.exec(sequence);
  return sgr !== null && sgr[1] !== '' && sgr[1]!.split(';').every((parameter) => OWN_SGR.has(parameter));
}
