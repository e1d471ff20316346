import type { Command } from '@oclif/core/command';
import { Help } from '@oclif/core/help';

/**
 * The root help lists every command once, as gh does: topics are not listed beside their commands,
 * and a topic's shorthand for its `list` (`vibes sessions`) is left out for `sessions list`.
 */
export default class VibesHelp extends Help {
  protected override async showRootHelp(): Promise<void> {
    const ids = new Set(this.sortedCommands.map((command) => command.id));
    const commands = this.sortedCommands.filter((command) => command.id !== '' && !ids.has(`${command.id}:list`));
    this.log(this.formatRoot());
    this.log('');
    // formatCommands rewrites ids in place: give it copies.
    this.log(this.formatCommands(commands.map((command): Command.Loadable => ({ ...command }))));
    this.log('');
    this.log(`Run \`${this.config.bin} COMMAND --help\` for a command's flags and examples.`);
  }
}
