import { Command } from '@oclif/core/command';
import * as Errors from '@oclif/core/errors';
import { makeStyle, type Style } from './style.ts';
import { UserError } from './user-error.ts';

/**
 * Errors the way gh prints them: one plain sentence on stderr (never re-wrapped, so ids and
 * commands in it stay whole), or `{"error": {code, message}}` on stdout with --json.
 */
export abstract class BaseCommand extends Command {
  protected style: Style = makeStyle();

  /** Subclasses turn what they know how to explain into a UserError. */
  protected explain(error: Error): Error {
    return error;
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    const explained = this.explain(error);
    if (!(explained instanceof UserError)) return super.catch(explained as Error & { exitCode?: number });
    process.exitCode = explained.oclif.exit ?? 1;
    if (this.jsonEnabled()) this.logJson(this.toErrorJson(explained));
    else process.stderr.write(`${this.style.red('vibes:')} ${explained.message}\n`);
    return undefined;
  }

  protected override toErrorJson(error: unknown): unknown {
    const code = error instanceof UserError ? error.code : error instanceof Errors.CLIError ? (error.code ?? 'FAILED') : 'FAILED';
    return { error: { code, message: error instanceof Error ? error.message : String(error) } };
  }
}
