import { Effect, Either } from 'effect'
import { type TriggerError, triggerError } from '../failure/trigger-error.ts'
import { expandEnvironment, type InterlockEnvironment } from './env-expansion.ts'

/**
 * Expands the environment variables of one `job.config` field (`headers.Authorization`, `body`,
 * `payload`). A variable the config may not read fails the call as PERMANENT, naming the field, the
 * variable and how to allow it (never a value): trying again cannot help until the operator allows it.
 */
export const expandJobText = (
  jobType: string,
  field: string,
  text: string,
  environment: InterlockEnvironment,
): Effect.Effect<string, TriggerError> =>
  Either.match(expandEnvironment(text, environment), {
    onLeft: (refused) =>
      Effect.fail(
        triggerError(jobType, 'PERMANENT', `${jobType} trigger: job.config.${field} ${refused.message}`),
      ),
    onRight: (expanded) => Effect.succeed(expanded),
  })
