import { accept, type Decision, nothing } from '../shared/decision.ts'
import { epochMillisOf, type Instant, instantOf } from '../shared/instant.ts'
import type {
  CheckInclusionDate,
  CheckMissedSchedule,
  CheckTriggerDeadline,
  FireSlaTimer,
} from './commands.ts'
import { openPeriod } from './decide-period-start.ts'
import {
  applyAll,
  type Decide,
  event,
  hasOutcome,
  scheduleAbsoluteSla,
  slaVerdicts,
  stamp,
  timer,
} from './decide-support.ts'
import { timerIdFor } from './events/intent-events.ts'
import type { RunEvent } from './events.ts'
import { postRunOf } from './policy.ts'
import type { RunRejection } from './rejections.ts'
import { isPeriodExcluded, postRunSensorArrivedSince, storedTriggerSensor } from './rule-port.ts'
import { liveAttemptOf, type RunState, type SlaClock } from './state.ts'

// Every watchdog check and SLA timer re-derives what must have happened from the run's own events, so a
// repeated, late or lost check is harmless. Paused and dry-run pipelines are never acted on (§5.1, L10).

type Result = Decision<RunEvent, RunRejection>

const idle = (ctx: Decide): boolean => ctx.paused || ctx.config.dryRun

/** The alert detail `status`: the run is live, or nothing has started. */
const statusText = (state: RunState): 'RUNNING' | 'not started' =>
  liveAttemptOf(state) !== null ? 'RUNNING' : 'not started'

/** The detail an SLA alert carries from its clock: the configured deadline of an absolute clock. */
const deadlineOf = (clock: SlaClock) => (clock.deadline !== null ? { deadline: clock.deadline } : {})

/** An SLA timer fired (§6.4): alert unless the run has an outcome, the alert was raised, or it is early. */
export const decideFireSlaTimer = (command: FireSlaTimer, state: RunState, ctx: Decide): Result => {
  const clock = state.sla[command.kind]
  if (idle(ctx) || clock === null || hasOutcome(state)) return nothing
  const critical = clock.critical
  if (command.alert === 'warning') {
    if (clock.warningAt === null || clock.warningRaised || clock.breachRaised) return nothing
    if (ctx.now >= epochMillisOf(clock.breachAt)) return nothing
    if (ctx.now < epochMillisOf(clock.warningAt)) {
      return accept([
        timer(ctx, timerIdFor.sla(command.kind, 'warning'), epochMillisOf(clock.warningAt), command),
      ])
    }
    return accept([
      event('SlaWarningRaised', {
        ...stamp(ctx),
        kind: command.kind,
        breachAt: clock.breachAt,
        status: statusText(state),
        critical,
        ...deadlineOf(clock),
      }),
    ])
  }
  if (clock.breachRaised) return nothing
  if (ctx.now < epochMillisOf(clock.breachAt)) {
    return accept([
      timer(ctx, timerIdFor.sla(command.kind, 'breach'), epochMillisOf(clock.breachAt), command),
    ])
  }
  return accept([
    event('SlaBreachRaised', {
      ...stamp(ctx),
      kind: command.kind,
      breachAt: clock.breachAt,
      status: statusText(state),
      critical,
      source: 'schedule',
      ...deadlineOf(clock),
    }),
  ])
}

/**
 * The absolute SLA alert a lost or late timer should have raised by now (§6.5 reconciliation, as defence in
 * depth behind the timers): the breach once it has passed, else the warning once it has passed; never a
 * warning after the breach, never an alert raised before (L5), nothing once the run has an outcome.
 */
const overdueSlaAlert = (state: RunState, ctx: Decide): ReadonlyArray<RunEvent> => {
  const clock = state.sla.absolute
  if (clock === null || hasOutcome(state) || clock.breachRaised) return []
  const alert = {
    ...stamp(ctx),
    kind: 'absolute' as const,
    breachAt: clock.breachAt,
    status: statusText(state),
    critical: clock.critical,
    source: 'watchdog' as const,
    ...deadlineOf(clock),
  }
  if (ctx.now >= epochMillisOf(clock.breachAt)) return [event('SlaBreachRaised', alert)]
  if (clock.warningAt !== null && !clock.warningRaised && ctx.now >= epochMillisOf(clock.warningAt))
    return [event('SlaWarningRaised', alert)]
  return []
}

/**
 * Proactive SLA scheduling (§5.6): store the period's SLA instants before anything arrives; once stored
 * (D7: never recomputed, never re-created), raise what a lost timer should have raised (§6.5).
 */
export const decideScheduleSla = (state: RunState, ctx: Decide): Result => {
  if (
    idle(ctx) ||
    hasOutcome(state) ||
    isPeriodExcluded(ctx.config, ctx.schedule, ctx.run.period, ctx.calendars)
  )
    return nothing
  return accept(state.sla.absolute === null ? scheduleAbsoluteSla(state, ctx) : overdueSlaAlert(state, ctx))
}

/** Stale run (§5.2): a live attempt whose lock expired ends as timed out; a closed attempt never does (D3). */
export const decideCheckStaleRun = (state: RunState, ctx: Decide): Result => {
  const live = liveAttemptOf(state)
  if (ctx.config.dryRun || live === null || ctx.now <= epochMillisOf(live.lockExpiresAt)) return nothing
  const timedOut = event('RunTimedOut', {
    ...stamp(ctx),
    attemptId: live.attemptId,
    lockExpiredAt: live.lockExpiresAt,
  })
  return accept([timedOut, ...slaVerdicts(applyAll(state, [timedOut]), ctx, false)])
}

/** Nothing ever ran for this period (no attempt, no closed window). */
const neverRan = (state: RunState): boolean => state.lifecycle.status === 'Idle' && state.attempts === 0

/** Missed schedule (§5.3, L6): once per period, after its expected fire, never before monitoring began. */
export const decideCheckMissedSchedule = (
  command: CheckMissedSchedule,
  state: RunState,
  ctx: Decide,
): Result => {
  if (idle(ctx) || !neverRan(state) || state.watchdog.scheduleMissed) return nothing
  if (ctx.now < epochMillisOf(command.expectedAt) || command.expectedAt < command.monitoringSince)
    return nothing
  if (isPeriodExcluded(ctx.config, ctx.schedule, ctx.run.period, ctx.calendars)) return nothing
  const cron = ctx.schedule.cron
  return accept([
    event('ScheduleMissed', {
      ...stamp(ctx),
      expectedAt: command.expectedAt,
      ...(cron !== undefined ? { cron } : {}),
    }),
  ])
}

/** Missed inclusion date (§5.4, C5): once per period. */
export const decideCheckInclusionDate = (
  command: CheckInclusionDate,
  state: RunState,
  ctx: Decide,
): Result => {
  if (idle(ctx) || !neverRan(state) || state.watchdog.inclusionMissed) return nothing
  if (
    ctx.now < epochMillisOf(command.expectedAt) ||
    isPeriodExcluded(ctx.config, ctx.schedule, ctx.run.period, ctx.calendars)
  ) {
    return nothing
  }
  return accept([event('InclusionDateMissed', { ...stamp(ctx), expectedAt: command.expectedAt })])
}

/** Reconciliation (§5.5, D11): a stored trigger sensor satisfies the condition but nothing ran. */
export const decideReconcileTrigger = (state: RunState, ctx: Decide): Result => {
  const trigger = ctx.schedule.trigger
  const status = state.lifecycle.status
  if (idle(ctx) || trigger === undefined || (status !== 'Idle' && status !== 'Waiting') || hasOutcome(state))
    return nothing
  if (isPeriodExcluded(ctx.config, ctx.schedule, ctx.run.period, ctx.calendars)) return nothing
  const sensorKey = storedTriggerSensor(trigger, state.sensors, ctx.run.period, ctx.now)
  if (sensorKey === undefined) return nothing
  return accept(openPeriod(state, ctx, 'recovered', sensorKey))
}

/** Post-run sensors missing (§5.8, D12): after success, none arrived within `postRun.sensorTimeout`. */
export const decideCheckPostRunSensors = (state: RunState, ctx: Decide): Result => {
  const postRun = postRunOf(ctx.config)
  const lifecycle = state.lifecycle
  if (idle(ctx) || postRun === undefined || lifecycle.status !== 'Completed') return nothing
  if (state.baseline === null || state.watchdog.postRunMissing) return nothing
  if (ctx.now < epochMillisOf(lifecycle.completedAt) + postRun.sensorTimeout.millis) return nothing
  if (postRunSensorArrivedSince(postRun.rules, state.sensors, ctx.run.period, lifecycle.completedAt))
    return nothing
  return accept([
    event('PostRunSensorMissing', {
      ...stamp(ctx),
      completedAt: lifecycle.completedAt,
      sensorTimeout: postRun.sensorTimeout.text,
      ruleKeys: postRun.rules.map((rule) => rule.key),
    }),
  ])
}

/** Relative SLA defence in depth (§5.9): breach alert from the stored first arrival if no timer raised it. */
export const decideCheckRelativeSla = (state: RunState, ctx: Decide): Result => {
  const maxDuration = ctx.schedule.sla?.maxDuration
  const arrivedAt = state.firstSensorArrivalAt
  if (idle(ctx) || maxDuration === undefined || arrivedAt === null || hasOutcome(state)) return nothing
  const clock = state.sla.relative
  if (clock?.breachRaised === true) return nothing
  const breachAt: Instant = clock?.breachAt ?? instantOf(epochMillisOf(arrivedAt) + maxDuration.millis)
  if (ctx.now < epochMillisOf(breachAt)) return nothing
  const scheduled =
    clock === null
      ? [
          event('SlaScheduled', {
            ...stamp(ctx),
            kind: 'relative' as const,
            warningAt: null,
            breachAt,
            maxDuration: maxDuration.text,
            timezone: ctx.schedule.sla?.timezone ?? ctx.schedule.timezone,
            critical: ctx.schedule.sla?.critical ?? false,
            arrivedAt,
          }),
        ]
      : []
  return accept([
    ...scheduled,
    event('SlaBreachRaised', {
      ...stamp(ctx),
      kind: 'relative',
      breachAt,
      status: statusText(state),
      critical: ctx.schedule.sla?.critical ?? false,
      source: 'watchdog',
    }),
  ])
}

/** Trigger deadline (§5.7): close the auto-trigger window of a period that never ran. */
export const decideCheckTriggerDeadline = (
  command: CheckTriggerDeadline,
  state: RunState,
  ctx: Decide,
): Result => {
  const deadline = ctx.schedule.trigger?.deadline
  if (idle(ctx) || deadline === undefined || !neverRan(state) || hasOutcome(state)) return nothing
  if (
    ctx.now < epochMillisOf(command.deadlineAt) ||
    isPeriodExcluded(ctx.config, ctx.schedule, ctx.run.period, ctx.calendars)
  ) {
    return nothing
  }
  return accept([event('TriggerWindowClosed', { ...stamp(ctx), deadline, deadlineAt: command.deadlineAt })])
}
