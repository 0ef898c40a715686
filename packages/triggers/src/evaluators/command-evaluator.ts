import { runCommand } from '../command/run-command.ts'
import { CommandLineInvalid, splitArguments } from '../command/split-arguments.ts'
import type { Redactor } from '../text/redact-secrets.ts'
import { sanitizeBody } from '../text/sanitize-body.ts'
import { type EvaluatorResult, failed, parseEvaluatorOutput } from './evaluator-result.ts'

/** The most an evaluator may print; a longer answer is cut and fails, rather than being held in memory. */
export const EVALUATOR_OUTPUT_LIMIT_BYTES = 65_536
/** How much of stderr a failure reason quotes. */
const QUOTED_STDERR_CHARACTERS = 512

export interface CommandEvaluation {
  readonly command: string
  /** The evaluator's JSON input, written to its stdin. */
  readonly input: string
  readonly timeoutMs: number
  /** The whole environment of the process (`PATH` and the run's variables); nothing is inherited. */
  readonly environment: Readonly<Record<string, string>>
  readonly redact: Redactor
}

/**
 * Runs a subprocess evaluator (seed 001): the command split into words and run without a shell, in its own
 * process group, the input on stdin, the answer read from stdout. Killed (the whole group) at the timeout;
 * a non-zero exit, a signal, or an answer that is not the protocol's JSON is a FAIL with the reason.
 */
export const runCommandEvaluator = async (evaluation: CommandEvaluation): Promise<EvaluatorResult> => {
  let words: ReadonlyArray<string>
  try {
    words = splitArguments(evaluation.command)
  } catch (error) {
    return failed(error instanceof CommandLineInvalid ? error.message : String(error))
  }
  const [program, ...args] = words
  if (program === undefined) return failed('evaluator command is empty')
  const outcome = await runCommand(program, args, {
    timeoutMs: evaluation.timeoutMs,
    // One byte over the limit tells an answer that was cut from one that fits exactly.
    maxOutputBytes: EVALUATOR_OUTPUT_LIMIT_BYTES + 1,
    environment: evaluation.environment,
    stdin: evaluation.input,
  })
  const stderrTail = (stderr: string) => {
    const tail = evaluation.redact(sanitizeBody(stderr.trim().slice(-QUOTED_STDERR_CHARACTERS)))
    return tail === '' ? '' : `: ${tail}`
  }
  switch (outcome._tag) {
    case 'NotStarted':
      return failed(`evaluator ${program} did not start: ${outcome.reason}`)
    case 'TimedOut':
      return failed(`evaluator ${program} timed out after ${evaluation.timeoutMs} ms and was killed`)
    case 'KilledBySignal':
      return failed(`evaluator ${program} was killed by ${outcome.signal}${stderrTail(outcome.stderr)}`)
    case 'Exited': {
      if (outcome.exitCode !== 0) {
        return failed(
          `evaluator ${program} exited with code ${outcome.exitCode}${stderrTail(outcome.stderr)}`,
        )
      }
      if (Buffer.byteLength(outcome.stdout) > EVALUATOR_OUTPUT_LIMIT_BYTES) {
        return failed(`evaluator ${program} printed more than ${EVALUATOR_OUTPUT_LIMIT_BYTES} bytes`)
      }
      return parseEvaluatorOutput(outcome.stdout, `the output of evaluator ${program}`)
    }
  }
}
