import { attemptIdFor } from '../shared/attempt-id.ts'
import { accept, type Decision, nothing, reject } from '../shared/decision.ts'
import type { RequestRerun } from './commands.ts'
import { decideDryRunRerun } from './decide-dry-run.ts'
import { applyAll, type Decide, event, stamp, startAttempt } from './decide-support.ts'
import type { RunEvent } from './events.ts'
import { rerunBudgetOf } from './policy.ts'
import { PipelineIsPaused, type RunRejection } from './rejections.ts'
import { isPeriodExcluded, sensorsChangedSince } from './rule-port.ts'
import { hasRunRecord, type RunState } from './state.ts'

/** The reason of a rerun request without one (lifecycle §3.2 R5). */
export const DEFAULT_RERUN_REASON = 'manual'

/**
 * The circuit breaker (§3.3): a rerun after a success is refused unless some sensor of the period has an
 * `updatedAt` after that success. It applies only when the latest outcome is a success.
 */
export const circuitBreakerOf = (
  state: RunState,
): 'passed' | 'rejected' | 'skipped (no job history)' | 'skipped (latest outcome not success)' => {
  if (state.latestJobLog === null) return 'skipped (no job history)'
  if (state.latestJobLog.entry !== 'success') return 'skipped (latest outcome not success)'
  return sensorsChangedSince(state.sensors, state.latestJobLog.at) ? 'passed' : 'rejected'
}

/**
 * A rerun decision (R4–R15) for a request with this id and reason: calendar, budget, circuit breaker,
 * an existing run, then the new attempt (superseding a live one, L1). Used for operator requests and,
 * inline, for late data and drift.
 */
export const rerunDecision = (
  state: RunState,
  ctx: Decide,
  requestId: string,
  reason: string,
): ReadonlyArray<RunEvent> => {
  if (ctx.config.dryRun) return decideDryRunRerun(state, ctx, requestId, reason)
  const fields = { ...stamp(ctx), requestId, reason }
  if (isPeriodExcluded(ctx.config, ctx.schedule, ctx.run.period, ctx.calendars))
    return [event('RerunBlockedByCalendar', fields)]
  const { budget, counts, label } = rerunBudgetOf(ctx.config, reason)
  const used = state.reruns.filter((record) => counts.includes(record.reason)).length
  if (used >= budget) return [event('RerunRejected', { ...fields, rule: label, used, budget })]
  const breaker = circuitBreakerOf(state)
  if (breaker === 'rejected')
    return [event('RerunRejected', { ...fields, rule: 'circuit breaker', used, budget })]
  if (!hasRunRecord(state)) return [event('RerunWithoutRun', fields)]
  const cleared = state.baseline !== null ? [event('PostRunBaselineCleared', stamp(ctx))] : []
  const accepted = event('RerunAccepted', {
    ...fields,
    rerunNumber: state.reruns.length,
    used,
    budget,
    circuitBreaker: breaker,
    attemptId: attemptIdFor(ctx.run, state.attempts + 1),
  })
  return [
    ...cleared,
    accepted,
    ...startAttempt(applyAll(state, [...cleared, accepted]), ctx, 'rerun', { rerunReason: reason }),
  ]
}

/** An operator (or external system) asks for a rerun of the period. */
export const decideRequestRerun = (
  command: RequestRerun,
  state: RunState,
  ctx: Decide,
): Decision<RunEvent, RunRejection> => {
  if (ctx.paused)
    return reject(new PipelineIsPaused({ pipelineId: ctx.run.pipelineId, command: 'RequestRerun' }))
  if (state.rerunRequests.includes(command.requestId)) return nothing
  return accept(rerunDecision(state, ctx, command.requestId, command.reason ?? DEFAULT_RERUN_REASON))
}
