import { accept, type Decision, nothing } from '../shared/decision.ts'
import { epochMillisOf, instantOf } from '../shared/instant.ts'
import type { StartDeferredAttempt } from './commands.ts'
import { firstArrival } from './decide-attempt.ts'
import { applyAll, type Decide, event, stamp, startAttempt, timer } from './decide-support.ts'
import { timerIdFor } from './events/intent-events.ts'
import type { RunEvent } from './events.ts'
import type { RunRejection } from './rejections.ts'
import { isPeriodExcluded, periodNotBefore } from './rule-port.ts'
import type { RunState } from './state.ts'

/** What opened the period: a passing trigger sensor, the cron, or the watchdog's reconciliation. */
export type PeriodOpener = 'sensor' | 'cron' | 'recovered'

/**
 * Opens a period that has no attempt yet (Idle or Waiting): starts the first attempt, or, before the
 * schedule's `after` time (C14), defers it to that instant with a timer. A sensor opening records the first
 * arrival (T0 of the relative SLA, S9) when the lock is really taken; a recovery announces itself (§5.5).
 */
export const openPeriod = (
  state: RunState,
  ctx: Decide,
  opener: PeriodOpener,
  sensorKey?: string,
): ReadonlyArray<RunEvent> => {
  const lifecycle = state.lifecycle
  if (lifecycle.status !== 'Idle' && lifecycle.status !== 'Waiting') return []
  const notBefore = periodNotBefore(ctx.schedule, ctx.run.period)
  if (notBefore !== undefined && ctx.now < notBefore) {
    const notBeforeAt = instantOf(notBefore)
    if (lifecycle.status === 'Waiting' && lifecycle.notBefore === notBeforeAt) return []
    return [
      event('AttemptDeferred', {
        ...stamp(ctx),
        cause: opener,
        ...(sensorKey !== undefined ? { sensorKey } : {}),
        after: ctx.schedule.after ?? '',
        timezone: ctx.schedule.timezone,
        notBefore: notBeforeAt,
      }),
      timer(ctx, timerIdFor.deferredStart(notBeforeAt), notBefore, { _tag: 'StartDeferredAttempt' }),
    ]
  }
  const arrival = opener === 'sensor' && sensorKey !== undefined ? firstArrival(state, ctx, sensorKey) : []
  const started = startAttempt(
    applyAll(state, arrival),
    ctx,
    opener,
    sensorKey !== undefined ? { sensorKey } : {},
  )
  const attempt = started.find((candidate) => candidate._tag === 'AttemptStarted')
  const recovered =
    opener === 'recovered' && sensorKey !== undefined && attempt?._tag === 'AttemptStarted'
      ? [event('TriggerRecovered', { ...stamp(ctx), attemptId: attempt.attemptId, sensorKey })]
      : []
  return [...arrival, ...started, ...recovered]
}

/**
 * The deferred start's timer fired (C14): start the attempt the period has been waiting for. An early timer
 * is asked for again; while paused the start waits one evaluation interval at a time; a period excluded or
 * switched to dry-run in the meantime starts nothing.
 */
export const decideStartDeferredAttempt = (
  command: StartDeferredAttempt,
  state: RunState,
  ctx: Decide,
): Decision<RunEvent, RunRejection> => {
  const lifecycle = state.lifecycle
  if (lifecycle.status !== 'Waiting' || ctx.config.dryRun) return nothing
  const notBefore = epochMillisOf(lifecycle.notBefore)
  if (ctx.now < notBefore) {
    return accept([timer(ctx, timerIdFor.deferredStart(lifecycle.notBefore), notBefore, command)])
  }
  if (ctx.paused) {
    const retryAt = ctx.now + ctx.schedule.evaluation.interval.millis
    return accept([timer(ctx, timerIdFor.deferredStart(instantOf(retryAt)), retryAt, command)])
  }
  const sensorKey = lifecycle.sensorKey ?? undefined
  if (isPeriodExcluded(ctx.config, ctx.schedule, ctx.run.period, ctx.calendars)) {
    return lifecycle.cause === 'recovered'
      ? nothing
      : accept([
          event('TriggerExcluded', {
            ...stamp(ctx),
            source: lifecycle.cause,
            ...(sensorKey !== undefined ? { sensorKey } : {}),
          }),
        ])
  }
  return accept(openPeriod(state, ctx, lifecycle.cause, sensorKey))
}
