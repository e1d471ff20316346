/**
 * What Claude is told of where the user reads (issue 29). It travels beside the prompt as
 * context Claude Code gives the model in a system message, never inside the user's own text.
 */
export const ON_PHONE_CONTEXT =
  'The user is reading and typing on a phone: keep answers short, avoid wide tables and long code blocks unless asked.';

/** Nothing for a slash command: its text is Claude Code's to run as the user typed it. */
export function promptContext(content: string, onPhone: boolean): string | null {
  if (!onPhone || content.trimStart().startsWith('/')) return null;
  return ON_PHONE_CONTEXT;
}
