import { Either, Schema } from 'effect'
import { type ClockDeadline, deadlineParts } from '../config/clock-time.ts'
import type { SlaConfig } from '../config/sla-config.ts'
import type { Duration } from '../duration/duration.ts'
import { type ExecutionPeriod, periodDate, periodHour } from '../period/execution-period.ts'
import { addDays, localDate, wallTimeToInstant } from './wall-time.ts'

const HOUR_MS = 3_600_000
const MINUTE_MS = 60_000
/** Without expectedDuration, the relative warning comes at 75 % of maxDuration (L5). */
const RELATIVE_WARNING_FRACTION = 0.75

/** The instants of one SLA clock, epoch ms: the breach, and the warning when there is one. */
export interface SlaInstants {
  readonly breachAt: number
  readonly warningAt?: number
}

/** A `:MM` deadline names a minute of the hour after an hourly period; a daily period has no such hour. */
export class HourlyDeadlineNeedsHourlyPeriod extends Schema.TaggedError<HourlyDeadlineNeedsHourlyPeriod>()(
  'HourlyDeadlineNeedsHourlyPeriod',
  { deadline: Schema.String, period: Schema.String },
) {
  override get message(): string {
    return `sla.deadline "${this.deadline}" is a minute of the next hour, but period ${this.period} is a whole day; write the deadline as HH:MM, or send sensors with an hour for hourly periods`
  }
}

/** What an absolute deadline is computed from. */
export interface AbsoluteSlaInput {
  readonly period: ExecutionPeriod
  readonly deadline: ClockDeadline
  /** `sla.timezone` (which defaults to `schedule.timezone`, C8). */
  readonly timezone: string
  readonly expectedDuration?: Duration
  /** The cron fire that opened the period, for cron pipelines (epoch ms). */
  readonly cronFireAt?: number
}

/**
 * The absolute SLA of a period (L4), computed once when the period's SLA starts:
 *
 * - `:MM` on an hourly period `…THH`: minute MM of the hour after it (H+1), measured as absolute time from
 *   the start of hour H, so it is right across DST changes;
 * - `HH:MM` on a cron pipeline: the first HH:MM at or after the period's cron fire;
 * - `HH:MM` on a sensor-triggered period: the first HH:MM at or after the period's end — for a daily period
 *   that is HH:MM on the day after it;
 *
 * all as wall-clock times in `timezone`. Never rolled forward by "now". The warning is `expectedDuration`
 * before the breach, or absent without one (C10).
 */
export const absoluteSlaDeadline = (
  input: AbsoluteSlaInput,
): Either.Either<SlaInstants, HourlyDeadlineNeedsHourlyPeriod> => {
  const parts = deadlineParts(input.deadline)
  const date = periodDate(input.period)
  const hour = periodHour(input.period)
  let breachAt: number
  if (parts.kind === 'hourly') {
    if (hour === undefined) {
      return Either.left(
        new HourlyDeadlineNeedsHourlyPeriod({ deadline: input.deadline, period: input.period }),
      )
    }
    breachAt = wallTimeToInstant(date, hour, 0, input.timezone) + HOUR_MS + parts.minute * MINUTE_MS
  } else {
    const from =
      input.cronFireAt ??
      (hour === undefined
        ? wallTimeToInstant(addDays(date, 1), 0, 0, input.timezone)
        : wallTimeToInstant(date, hour, 0, input.timezone) + HOUR_MS)
    const day = localDate(from, input.timezone)
    const sameDay = wallTimeToInstant(day, parts.hour, parts.minute, input.timezone)
    breachAt =
      sameDay >= from ? sameDay : wallTimeToInstant(addDays(day, 1), parts.hour, parts.minute, input.timezone)
  }
  return Either.right(
    input.expectedDuration === undefined
      ? { breachAt }
      : { breachAt, warningAt: breachAt - input.expectedDuration.millis },
  )
}

/**
 * The relative SLA (L5): breach `maxDuration` after the first sensor arrival (epoch ms), warning
 * `expectedDuration` before the breach, else at 75 % of `maxDuration`. Not clamped: an expectedDuration
 * longer than maxDuration puts the warning before the arrival.
 */
export const relativeSlaDeadline = (input: {
  readonly arrivalAt: number
  readonly maxDuration: Duration
  readonly expectedDuration?: Duration
}): Required<SlaInstants> => {
  const breachAt = input.arrivalAt + input.maxDuration.millis
  const warningAt =
    input.expectedDuration !== undefined
      ? breachAt - input.expectedDuration.millis
      : input.arrivalAt + Math.trunc(input.maxDuration.millis * RELATIVE_WARNING_FRACTION)
  return { breachAt, warningAt }
}

/** Both SLA clocks of a period, each present when configured (and, for the relative one, started). */
export interface SlaDeadlines {
  readonly absolute?: SlaInstants
  readonly relative?: Required<SlaInstants>
}

/**
 * The SLA instants of a period from its `sla` block: the absolute clock when `deadline` is set, the relative
 * clock when `maxDuration` is set and the first sensor has arrived. They run independently (L5).
 */
export const slaDeadlines = (
  sla: SlaConfig,
  context: {
    readonly period: ExecutionPeriod
    /** Used when `sla.timezone` is absent (a config decoded by `PipelineConfig` always has one). */
    readonly scheduleTimezone: string
    readonly cronFireAt?: number
    readonly firstSensorAt?: number
  },
): Either.Either<SlaDeadlines, HourlyDeadlineNeedsHourlyPeriod> => {
  const relative =
    sla.maxDuration !== undefined && context.firstSensorAt !== undefined
      ? {
          relative: relativeSlaDeadline({
            arrivalAt: context.firstSensorAt,
            maxDuration: sla.maxDuration,
            ...(sla.expectedDuration !== undefined ? { expectedDuration: sla.expectedDuration } : {}),
          }),
        }
      : {}
  if (sla.deadline === undefined) return Either.right(relative)
  const absolute = absoluteSlaDeadline({
    period: context.period,
    deadline: sla.deadline,
    timezone: sla.timezone ?? context.scheduleTimezone,
    ...(sla.expectedDuration !== undefined ? { expectedDuration: sla.expectedDuration } : {}),
    ...(context.cronFireAt !== undefined ? { cronFireAt: context.cronFireAt } : {}),
  })
  return Either.map(absolute, (instants) => ({ ...relative, absolute: instants }))
}
