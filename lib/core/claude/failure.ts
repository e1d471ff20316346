/** How to get past a missing login, in words a person can act on. */
export const LOGIN_HINT =
  'Claude Code is not logged in: run `claude` in a terminal on this machine and sign in with /login, ' +
  'or set ANTHROPIC_API_KEY in the environment of the vibes server; then start a new session.';

const AUTH_FAILURE_PATTERNS = [
  /not logged in/i,
  /please run \/login/i,
  /invalid api key/i,
  /authentication[_ ]error/i,
  /authentication_failed/i,
  /oauth token (?:has )?(?:expired|been revoked)/i,
  /could not resolve authentication method/i,
  /x-api-key/i,
];

export function looksLikeAuthFailure(text: string): boolean {
  return AUTH_FAILURE_PATTERNS.some((pattern) => pattern.test(text));
}

/** A turn that ended on a missing login: what the session's failure says. */
export function describeAuthFailure(resultText: string): string {
  return `${resultText.trim()}. ${LOGIN_HINT}`;
}

export interface ExitFacts {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string;
  /** What went wrong on our side of the pipe, if anything (the SDK's error, a spawn error). */
  error?: string;
}

export const EXECUTABLE_HINT =
  'Is Claude Code installed? Set VIBES_CLAUDE_PATH to the claude executable, or put claude on the PATH of the vibes server.';

/** Why Claude's process ended, for the session's `failure`: the cause, then stderr's last lines. */
export function describeExit(facts: ExitFacts): string {
  const cause =
    facts.code !== null ? `Claude exited with code ${facts.code}` : facts.signal !== null ? `Claude was killed by ${facts.signal}` : null;
  const parts = [cause && facts.error ? `${cause}: ${facts.error}` : (cause ?? facts.error ?? 'Claude could not be run')];
  const stderr = facts.stderrTail.trim();
  if (stderr) parts.push(`stderr:\n${stderr}`);
  if (cause === null && /\b(?:ENOENT|EACCES)\b/.test(facts.error ?? '')) parts.push(EXECUTABLE_HINT);
  if (looksLikeAuthFailure(`${stderr}\n${facts.error ?? ''}`)) parts.push(LOGIN_HINT);
  return parts.join('\n');
}

/** Keeps the last lines a process wrote, bounded in lines and characters. */
export class OutputTail {
  readonly #maxLines: number;
  readonly #maxChars: number;
  #text = '';

  constructor(maxLines = 20, maxChars = 4000) {
    this.#maxLines = maxLines;
    this.#maxChars = maxChars;
  }

  push(chunk: string): void {
    this.#text = (this.#text + chunk).slice(-this.#maxChars * 2);
  }

  toString(): string {
    const lines = this.#text.split('\n').filter((line) => line.trim() !== '');
    return lines.slice(-this.#maxLines).join('\n').slice(-this.#maxChars);
  }
}
