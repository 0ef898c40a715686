import { Effect } from 'effect'
import type { TriggerError } from './failure/trigger-error.ts'
import type { RunContext } from './text/template-variables.ts'

/** A daily run of `orders-daily`, the context most tests start jobs in. */
export const dailyRun: RunContext = {
  pipelineId: 'orders-daily',
  attemptId: 'attempt-1',
  period: '2026-03-03',
}
/** An hourly run of `clickstream-hourly`. */
export const hourlyRun: RunContext = {
  pipelineId: 'clickstream-hourly',
  attemptId: 'attempt-2',
  period: '2026-03-06T16',
}

/** Runs an effect expected to succeed. */
export const run = <A>(effect: Effect.Effect<A, TriggerError>): Promise<A> => Effect.runPromise(effect)

/** Runs an effect expected to fail and returns its TriggerError. */
export const runError = <A>(effect: Effect.Effect<A, TriggerError>): Promise<TriggerError> =>
  Effect.runPromise(Effect.flip(effect))
