import type { SlashCommand } from '../../lib/protocol/index.ts';

/** A `/` at the start with no space yet: the name of a command being typed. */
const TYPING_COMMAND = /^\/(\S*)$/;

type Callback = (error: Error | null, result: [string[], string]) => void;

/**
 * Tab completion of slash commands for the session console's readline: `/` + Tab lists the
 * session's commands as Claude Code reports them, `/co` + Tab completes to `/compact `. The list
 * is fetched once, and again when `processKey` changes (a resume or a /clear: another Claude session).
 */
export class CommandCompleter {
  readonly #load: () => Promise<SlashCommand[]>;
  readonly #processKey: () => string;
  #loaded: { key: string; commands: Promise<SlashCommand[]> } | null = null;

  constructor(load: () => Promise<SlashCommand[]>, processKey: () => string) {
    this.#load = load;
    this.#processKey = processKey;
  }

  /** readline's asynchronous completer. */
  readonly complete = (line: string, callback: Callback): void => {
    const typing = TYPING_COMMAND.exec(line);
    if (!typing) {
      callback(null, [[], line]);
      return;
    }
    this.commands().then(
      (commands) => callback(null, [completionsFor(commands, typing[1] ?? ''), line]),
      // No list (Claude busy ending, the server away): Tab does nothing rather than print an error mid-line.
      () => callback(null, [[], line]),
    );
  };

  commands(): Promise<SlashCommand[]> {
    const key = this.#processKey();
    if (this.#loaded?.key !== key) {
      const commands = this.#load();
      this.#loaded = { key, commands };
      // A failed fetch is tried again at the next Tab.
      commands.catch(() => {
        if (this.#loaded?.commands === commands) this.#loaded = null;
      });
    }
    return this.#loaded.commands;
  }
}

/** `/name ` for each command whose name starts with what was typed; readline completes a single one in place. */
export function completionsFor(commands: readonly SlashCommand[], typed: string): string[] {
  const query = typed.toLowerCase();
  const names = commands.filter((command) => command.name.toLowerCase().startsWith(query)).map((command) => `/${command.name} `);
  // Claude may list two rows of one name (a built-in and a user's command): one completion.
  return [...new Set(names)];
}
