import { Effect } from 'effect'
import type { TriggerError } from './failure/trigger-error.ts'
import type { RunContext } from './text/template-variables.ts'
import type { JobCancelled, JobHandle, JobStatus, Trigger } from './trigger.ts'

/** Where a run stands in its poll window (spec §1.7): seconds polled so far, including this poll. */
export interface PollWindow {
  readonly elapsedSeconds: number
  readonly pollWindowSeconds: number
}

export interface StatusUnavailable {
  readonly _tag: 'StatusUnavailable'
  readonly error: TriggerError
}

export interface CancelFailed {
  readonly _tag: 'CancelFailed'
  readonly error: TriggerError
}

/** The window closed on a job still running: it counts as a TIMEOUT failure and the job was told to stop. */
export interface PollWindowExhausted {
  readonly _tag: 'PollWindowExhausted'
  readonly message: string
  readonly category: 'TIMEOUT'
  readonly cancellation: JobCancelled | CancelFailed
}

/** What one poll concluded: the job's status, a status error to retry at the next poll, or the end of the window. */
export type PollOutcome = JobStatus | StatusUnavailable | PollWindowExhausted

/**
 * One poll of a started job. A finished job reports its outcome; a job still running (or whose status
 * cannot be read) once `elapsedSeconds` reaches the window is cancelled where its type allows and ends
 * as PollWindowExhausted. Time is passed in, never read, so the processor's timers drive it.
 */
export const pollJob = <Config>(
  trigger: Trigger<Config>,
  config: Config,
  handle: JobHandle,
  context: RunContext,
  window: PollWindow,
): Effect.Effect<PollOutcome> =>
  Effect.gen(function* () {
    const status = yield* trigger.status(config, handle, context).pipe(
      Effect.map((found): JobStatus | StatusUnavailable => found),
      Effect.catchAll((error) => Effect.succeed<StatusUnavailable>({ _tag: 'StatusUnavailable', error })),
    )
    const stillOpen = window.elapsedSeconds < window.pollWindowSeconds
    if (status._tag === 'JobSucceeded' || status._tag === 'JobFailed' || stillOpen) return status
    const cancellation = yield* trigger
      .cancel(config, handle, context)
      .pipe(Effect.catchAll((error) => Effect.succeed<CancelFailed>({ _tag: 'CancelFailed', error })))
    return {
      _tag: 'PollWindowExhausted',
      message: `job poll window exhausted: still running after ${window.elapsedSeconds}s of ${window.pollWindowSeconds}s`,
      category: 'TIMEOUT',
      cancellation,
    }
  })
