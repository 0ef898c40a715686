import { Duration, Effect } from 'effect'
import { type TriggerError, triggerError } from '../failure/trigger-error.ts'
import { awsFailure } from './aws-failure.ts'

/** Every AWS call of a trigger has a deadline; a poll or a start never waits on AWS for longer. */
export const AWS_CALL_TIMEOUT_MS = 30_000

/**
 * Runs one AWS SDK call as an Effect: interruption aborts the HTTP request, the deadline gives a TIMEOUT
 * failure, and any SDK error becomes a classified TriggerError named after the operation.
 */
export const awsCall = <Output>(
  jobType: string,
  prefix: string,
  call: (abortSignal: AbortSignal) => Promise<Output>,
  timeoutMs: number = AWS_CALL_TIMEOUT_MS,
): Effect.Effect<Output, TriggerError> =>
  Effect.tryPromise({
    try: (abortSignal) => call(abortSignal),
    catch: (error) => awsFailure(jobType, prefix, error),
  }).pipe(
    Effect.timeoutFail({
      duration: Duration.millis(timeoutMs),
      onTimeout: () => triggerError(jobType, 'TIMEOUT', `${prefix}: no answer within ${timeoutMs} ms`),
    }),
  )
