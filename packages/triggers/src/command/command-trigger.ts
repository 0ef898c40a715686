import type { CommandJobConfig } from '@interlock/domain'
import { Effect } from 'effect'
import { triggerError } from '../failure/trigger-error.ts'
import type { InterlockEnvironment } from '../text/env-expansion.ts'
import { makeRedactor } from '../text/redact-secrets.ts'
import { sanitizeBody } from '../text/sanitize-body.ts'
import { renderTemplate } from '../text/template-variables.ts'
import { NON_POLLING, running, type Trigger } from '../trigger.ts'
import { runCommand } from './run-command.ts'
import { CommandLineInvalid, splitArguments } from './split-arguments.ts'

/** A command without a deadline of its own runs at most this long (the default poll window). */
export const DEFAULT_COMMAND_TIMEOUT_MS = 3_600_000
/** Output kept from each of stdout and stderr. */
export const COMMAND_OUTPUT_LIMIT_BYTES = 65_536

export interface CommandTriggerDependencies {
  /** `PATH` of the commands: the only variable they inherit. */
  readonly path: string
  /** Used only to redact secrets out of captured output; commands never see these variables. */
  readonly environment: InterlockEnvironment
  readonly timeoutMs?: number
  readonly maxOutputBytes?: number
}

/**
 * A local program, run without a shell (ruling T7) in its own process group, synchronously: the job is
 * over when it exits. The environment holds `PATH` and the run's `INTERLOCK_PIPELINE_ID`,
 * `INTERLOCK_PERIOD`, `INTERLOCK_ATTEMPT_ID`, nothing of Interlock's own.
 */
export const makeCommandTrigger = (dependencies: CommandTriggerDependencies): Trigger<CommandJobConfig> => ({
  start: (config, context) =>
    Effect.gen(function* () {
      const words = yield* Effect.try({
        try: () => splitArguments(renderTemplate(config.command, context)),
        catch: (error) =>
          triggerError(
            'command',
            'PERMANENT',
            error instanceof CommandLineInvalid ? error.message : String(error),
          ),
      })
      const [program, ...args] = words
      if (program === undefined)
        return yield* triggerError('command', 'PERMANENT', 'trigger command is empty')
      const outcome = yield* Effect.promise((signal) =>
        runCommand(program, args, {
          timeoutMs: dependencies.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
          maxOutputBytes: dependencies.maxOutputBytes ?? COMMAND_OUTPUT_LIMIT_BYTES,
          environment: {
            PATH: dependencies.path,
            INTERLOCK_PIPELINE_ID: context.pipelineId,
            INTERLOCK_PERIOD: context.period,
            INTERLOCK_ATTEMPT_ID: context.attemptId,
          },
          signal,
        }),
      )
      const redact = makeRedactor({}, dependencies.environment)
      const tail = (stderr: string) =>
        stderr.trim() === '' ? '' : `: ${redact(sanitizeBody(stderr.slice(-512)))}`
      switch (outcome._tag) {
        case 'NotStarted':
          return yield* triggerError(
            'command',
            'PERMANENT',
            `trigger command failed to start: ${outcome.reason}`,
          )
        case 'TimedOut':
          return yield* triggerError(
            'command',
            'TIMEOUT',
            `trigger command ${program} timed out after ${dependencies.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS} ms and was killed`,
          )
        case 'KilledBySignal':
          return yield* triggerError(
            'command',
            'TRANSIENT',
            `trigger command ${program} was killed by ${outcome.signal}${tail(outcome.stderr)}`,
          )
        case 'Exited':
          if (outcome.exitCode !== 0) {
            return yield* triggerError(
              'command',
              'TRANSIENT',
              `trigger command ${program} failed: exit status ${outcome.exitCode}${tail(outcome.stderr)}`,
            )
          }
          return {
            externalRunId: `pid-${outcome.pid}`,
            metadata: { command_pid: String(outcome.pid) },
            synchronous: true,
            message: 'command trigger completed synchronously',
          }
      }
    }),
  status: () => Effect.succeed(running(NON_POLLING)),
  cancel: () =>
    Effect.succeed({
      _tag: 'CancelNotSupported' as const,
      reason: 'a command job ends within its start call',
    }),
})
