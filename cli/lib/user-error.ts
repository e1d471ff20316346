import * as Errors from '@oclif/core/errors';

/** A failure with the sentence that tells the user what to do; shown without a stack. */
export class UserError extends Errors.CLIError {
  override readonly code: string;
  constructor(message: string, code = 'FAILED', exit = 1) {
    super(message, { exit });
    this.code = code;
  }
}
