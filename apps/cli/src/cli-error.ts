import { Data } from 'effect'

/** The command line is wrong (unknown command or option, missing argument): exit 2. */
export class UsageError extends Data.TaggedError('UsageError')<{ readonly problem: string }> {
  override get message(): string {
    return `${this.problem}. Run \`interlock help\` for the commands and their options.`
  }
}

/** The command ran and failed (invalid file, API refusal, unreachable API): exit 1. */
export class CommandFailed extends Data.TaggedError('CommandFailed')<{ readonly problem: string }> {
  override get message(): string {
    return this.problem
  }
}

/** Exit status of a failure: 2 for usage, 1 for everything else. */
export const exitCodeOf = (error: unknown): number => (error instanceof UsageError ? 2 : 1)
