import { format } from 'node:util';
import { Command } from '@oclif/core/command';
import * as Errors from '@oclif/core/errors';
import { makeStyle, type Style } from './style.ts';
import { terminalText } from './terminal-text.ts';
import { UserError } from './user-error.ts';
import { errorMessage } from '../../lib/protocol/text.ts';

/**
 * Errors the way gh prints them: one plain sentence on stderr (never re-wrapped, so ids and
 * commands in it stay whole), or `{"error": {code, message}}` on stdout with --json.
 * Human output passes through terminalText; --json output is data and stays as it is.
 */
export abstract class BaseCommand extends Command {
  protected style: Style = makeStyle();

  /** Subclasses turn what they know how to explain into a UserError. */
  protected explain(error: Error): Error {
    return error;
  }

  override log(message = '', ...args: unknown[]): void {
    super.log(terminalText(format(message, ...args)));
  }

  override logToStderr(message = '', ...args: unknown[]): void {
    super.logToStderr(terminalText(format(message, ...args)));
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    const explained = this.explain(error);
    if (!(explained instanceof UserError)) return super.catch(explained as Error & { exitCode?: number });
    process.exitCode = explained.oclif.exit ?? 1;
    if (this.jsonEnabled()) this.logJson(this.toErrorJson(explained));
    else process.stderr.write(`${this.style.red('vibes:')} ${terminalText(explained.message)}\n`);
    return undefined;
  }

  protected override toErrorJson(error: unknown): unknown {
    const code = error instanceof UserError ? error.code : error instanceof Errors.CLIError ? (error.code ?? 'FAILED') : 'FAILED';
    return { error: { code, message: errorMessage(error) } };
  }
}
