import {
  absoluteSlaDeadline,
  addDays,
  clockTimeParts,
  cronGranularity,
  deadlineParts,
  type ExecutionPeriod,
  instantOf,
  periodDate,
  periodOfCronFire,
  type ResolvedSchedule,
  type RunKey,
  todayIn,
  wallTimeToInstant,
} from '@interlock/domain'
import { Either } from 'effect'
import { cronBrackets } from './cron-brackets.ts'
import { dayPeriodAt, hourPeriodBefore, startOfDate } from './local-time.ts'
import { commandIdOf, isOpen, type KeyedCheck, neverRan, type WatchedPipeline } from './watchdog-check.ts'

// The checks whose run stream follows from the config and the clock alone: missed cron fire (§5.3),
// missed inclusion date (§5.4), proactive SLA (§5.6) and trigger deadline (§5.7). Each applies only if the
// run's row says so; the decider re-checks everything (exclusions, pause, dedup facts) when it arrives.

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/**
 * How long after a cron fire the watchdog waits before calling the fire missed: the fire's own timer opens
 * the period, and pg-boss may deliver it a little late.
 */
export const MISSED_FIRE_GRACE_MS = 60_000
/** Inclusion dates looked at, newest first (§5.4: bounds the reads after a long outage). */
export const INCLUSION_LOOKBACK_DATES = 3
/**
 * The proactive SLA of a period is stored once its warning (or breach, without a warning) is this close, so
 * scheduling spreads over the day instead of every pipeline's SLA at the start of its period.
 */
export const SLA_SCHEDULING_LEAD_MS = 2 * HOUR_MS

const key = (pipeline: WatchedPipeline, schedule: ResolvedSchedule, period: string): RunKey => ({
  pipelineId: pipeline.pipelineId,
  scheduleId: schedule.name,
  period,
})

/**
 * §5.3 with L6 (D9, D10): the period of a cron fire, due {@link MISSED_FIRE_GRACE_MS} after the fire (or
 * after `schedule.time` on a daily period, when later), for the last fire and the one before the grace.
 */
export const missedScheduleChecks = (
  pipeline: WatchedPipeline,
  schedule: ResolvedSchedule,
  now: number,
): ReadonlyArray<KeyedCheck> => {
  const cron = schedule.cron
  if (cron === undefined) return []
  const fires = new Set(
    [
      cronBrackets.previous(cron, schedule.timezone, now),
      cronBrackets.previous(cron, schedule.timezone, now - MISSED_FIRE_GRACE_MS),
    ].filter((fire): fire is number => fire !== undefined && fire >= pipeline.monitoringSince),
  )
  return [...fires].map((fire): KeyedCheck => {
    const period = periodOfCronFire(cron, schedule.timezone, fire)
    let expectedAt = fire
    if (schedule.time !== undefined && cronGranularity(cron) === 'daily') {
      const { hour, minute } = clockTimeParts(schedule.time)
      expectedAt = Math.max(fire, wallTimeToInstant(periodDate(period), hour, minute, schedule.timezone))
    }
    const run = key(pipeline, schedule, period)
    const at = instantOf(expectedAt)
    return {
      check: 'missed-schedule',
      run,
      command: {
        _tag: 'CheckMissedSchedule',
        expectedAt: at,
        monitoringSince: instantOf(pipeline.monitoringSince),
      },
      commandId: commandIdOf('missed-schedule', run, at),
      dueAt: expectedAt + MISSED_FIRE_GRACE_MS,
      applies: neverRan,
    }
  })
}

/**
 * §5.4 (C5): the newest inclusion dates up to today, each once its expected time passed: `schedule.time` on
 * that date, or the end of the date when no time is set. Like a cron fire, never one expected before the
 * pipeline was registered (D10).
 */
export const inclusionChecks = (
  pipeline: WatchedPipeline,
  schedule: ResolvedSchedule,
  now: number,
): ReadonlyArray<KeyedCheck> => {
  const dates = schedule.include?.dates
  if (dates === undefined) return []
  const today = todayIn(now, schedule.timezone)
  const past = [...new Set(dates)]
    .filter((date) => date <= today)
    .sort()
    .reverse()
    .slice(0, INCLUSION_LOOKBACK_DATES)
  return past.flatMap((date): ReadonlyArray<KeyedCheck> => {
    const expectedAt =
      schedule.time === undefined
        ? startOfDate(addDays(date, 1), schedule.timezone)
        : wallTimeToInstant(
            date,
            clockTimeParts(schedule.time).hour,
            clockTimeParts(schedule.time).minute,
            schedule.timezone,
          )
    if (expectedAt < pipeline.monitoringSince) return []
    const run = key(pipeline, schedule, date)
    const at = instantOf(expectedAt)
    return [
      {
        check: 'inclusion-date',
        run,
        command: { _tag: 'CheckInclusionDate', expectedAt: at },
        commandId: commandIdOf('inclusion-date', run, at),
        dueAt: expectedAt,
        applies: neverRan,
      },
    ]
  })
}

/**
 * The SLA instants of a period never change for one config version, and computing them walks zone rules:
 * a scan remembers them (cleared wholesale when full; periods move on daily or hourly).
 */
const slaMemory = new Map<string, { readonly breachAt: number; readonly warningAt?: number } | null>()
const SLA_MEMORY_SIZE = 100_000

/** The periods whose absolute SLA may still be ahead: around the last and next cron fire, or the current ones. */
const slaPeriods = (
  schedule: ResolvedSchedule,
  deadlineHourly: boolean,
  now: number,
): ReadonlyArray<string> => {
  const zone = schedule.timezone
  if (schedule.cron !== undefined) {
    const fires = [
      cronBrackets.previous(schedule.cron, zone, now),
      cronBrackets.next(schedule.cron, zone, now),
    ].filter((fire): fire is number => fire !== undefined)
    return [...new Set(fires.map((fire) => periodOfCronFire(schedule.cron ?? '', zone, fire)))]
  }
  return deadlineHourly
    ? [hourPeriodBefore(now, zone, 1), hourPeriodBefore(now, zone, 0)]
    : [dayPeriodAt(now, zone, 1), dayPeriodAt(now, zone, 0)]
}

/** The cron fire that opens a period (C4): the first fire at or after the period's start. */
const cronFireOf = (schedule: ResolvedSchedule, period: string): number | undefined => {
  if (schedule.cron === undefined) return undefined
  const hour = period.length > 10 ? Number(period.slice(11, 13)) : 0
  const start = wallTimeToInstant(period.slice(0, 10), hour, 0, schedule.timezone)
  return cronBrackets.next(schedule.cron, schedule.timezone, start - 1)
}

/**
 * §5.6 (L4, D7): store the SLA of a period that has none yet, before anything arrives, once its warning
 * (or breach) is within {@link SLA_SCHEDULING_LEAD_MS} and the breach is still ahead.
 */
export const scheduleSlaChecks = (
  pipeline: WatchedPipeline,
  schedule: ResolvedSchedule,
  now: number,
): ReadonlyArray<KeyedCheck> => {
  const sla = schedule.sla
  if (sla?.deadline === undefined) return []
  const deadline = sla.deadline
  const hourly = deadlineParts(deadline).kind === 'hourly'
  return slaPeriods(schedule, hourly, now).flatMap((period): ReadonlyArray<KeyedCheck> => {
    const memo = `${pipeline.pipelineId}@${pipeline.version}/${schedule.name}/${period}`
    let instants = slaMemory.get(memo)
    if (instants === undefined) {
      const cronFireAt = cronFireOf(schedule, period)
      const computed = absoluteSlaDeadline({
        period: period as ExecutionPeriod,
        deadline,
        timezone: sla.timezone,
        ...(sla.expectedDuration !== undefined ? { expectedDuration: sla.expectedDuration } : {}),
        ...(cronFireAt !== undefined ? { cronFireAt } : {}),
      })
      instants = Either.isLeft(computed) ? null : computed.right
      if (slaMemory.size >= SLA_MEMORY_SIZE) slaMemory.clear()
      slaMemory.set(memo, instants)
    }
    if (instants === null) return []
    const { breachAt, warningAt } = instants
    const firstAlert = warningAt ?? breachAt
    const run = key(pipeline, schedule, period)
    return [
      {
        check: 'schedule-sla',
        run,
        command: { _tag: 'ScheduleSla' },
        commandId: commandIdOf('schedule-sla', run, instantOf(breachAt)),
        dueAt: firstAlert - SLA_SCHEDULING_LEAD_MS,
        until: breachAt,
        applies: (row) => isOpen(row) && (row === undefined || row.slaBreachAt === null),
      },
    ]
  })
}

/**
 * §5.7: close the auto-trigger window of a period that never ran once `schedule.trigger.deadline` passed:
 * `HH:MM` on the period's date (today's and yesterday's periods), `:MM` in the hour after an hourly period
 * (the last two hours' periods), in the schedule's zone.
 */
export const triggerDeadlineChecks = (
  pipeline: WatchedPipeline,
  schedule: ResolvedSchedule,
  now: number,
): ReadonlyArray<KeyedCheck> => {
  const deadline = schedule.trigger?.deadline
  if (deadline === undefined) return []
  const zone = schedule.timezone
  const parts = deadlineParts(deadline)
  const candidates: ReadonlyArray<{ readonly period: string; readonly deadlineAt: number }> =
    parts.kind === 'hourly'
      ? [1, 2].map((hoursAgo) => {
          const period = hourPeriodBefore(now, zone, hoursAgo)
          const start = wallTimeToInstant(period.slice(0, 10), Number(period.slice(11, 13)), 0, zone)
          return { period, deadlineAt: start + HOUR_MS + parts.minute * 60_000 }
        })
      : [0, 1].map((daysAgo) => {
          const period = dayPeriodAt(now, zone, daysAgo)
          return { period, deadlineAt: wallTimeToInstant(period, parts.hour, parts.minute, zone) }
        })
  return candidates.flatMap(({ period, deadlineAt }): ReadonlyArray<KeyedCheck> => {
    const run = key(pipeline, schedule, period)
    const at = instantOf(deadlineAt)
    return [
      {
        check: 'trigger-deadline',
        run,
        command: { _tag: 'CheckTriggerDeadline', deadlineAt: at },
        commandId: commandIdOf('trigger-deadline', run, at),
        dueAt: deadlineAt,
        until: deadlineAt + DAY_MS,
        applies: neverRan,
      },
    ]
  })
}

/** Every keyed check of one pipeline around `now`, due or still ahead. */
export const scheduleChecks = (pipeline: WatchedPipeline, now: number): ReadonlyArray<KeyedCheck> =>
  pipeline.schedules.flatMap((schedule) => [
    ...missedScheduleChecks(pipeline, schedule, now),
    ...inclusionChecks(pipeline, schedule, now),
    ...scheduleSlaChecks(pipeline, schedule, now),
    ...triggerDeadlineChecks(pipeline, schedule, now),
  ])
