import { resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { VibesCommand } from '../lib/vibes-command.ts';

export default class Claude extends VibesCommand {
  static override summary = 'Start a Claude Code session on the vibes server and drive it from this terminal.';
  static override description = `The session is owned by this terminal and shows up on the dashboard and in
\`vibes sessions list\` at once. Claude's text streams as it arrives; tool calls and results are
one line each; a tool call that needs approval shows its input and waits for "a" (allow) or "d"
(deny), from here or from any other client. Without PROMPT you type the first message.

Ctrl-C interrupts the running turn, a second Ctrl-C leaves: the session stays on the server and
passes to another watcher by the server's rules. When input ends (Ctrl-D or the end of a pipe),
the command exits once the running turns are over. The exit code is 0 when the last turn
succeeded.`;
  static override args = {
    prompt: Args.string({ description: 'The first message to Claude', ignoreStdin: true }),
  };
  static override flags = {
    name: Flags.string({ summary: 'A name for the session, shown in lists.' }),
    cwd: Flags.string({ summary: 'Folder Claude works in (default: the current folder).' }),
    model: Flags.string({ summary: 'Claude model to use.' }),
    json: Flags.boolean({ summary: 'Print each event as one JSON object per line.' }),
  };
  static override examples = [
    '<%= config.bin %> claude "explain this repository"',
    '<%= config.bin %> claude --name refactor --cwd ~/src/app',
    'echo "run the tests" | <%= config.bin %> claude --json',
  ];

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Claude);
    await this.driveSession(
      flags,
      (api) =>
        api.createSession({
          ...(args.prompt ? { prompt: args.prompt } : {}),
          ...(flags.name ? { name: flags.name } : {}),
          cwd: resolve(flags.cwd ?? '.'),
          ...(flags.model ? { model: flags.model } : {}),
          source: 'cli',
        }),
      { mode: 'claude', promptSent: Boolean(args.prompt), history: false },
    );
  }
}
