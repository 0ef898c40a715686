import { Schema } from 'effect'
import { CronExpression } from '../cron/cron-expression.ts'
import { type Duration, DurationFromString } from '../duration/duration.ts'
import { CalendarDate } from '../period/calendar-date.ts'
import { CalendarName } from './calendar-name.ts'
import { ClockDeadline, ClockTime } from './clock-time.ts'
import { optional } from './optional.ts'
import { SlaConfig } from './sla-config.ts'
import { TimeZone, UTC } from './time-zone.ts'
import { TriggerCondition } from './validation-rule.ts'

const ONE_SECOND_MS = 1_000
/** Defaults of `schedule.evaluation` (spec §1.4). */
export const DEFAULT_EVALUATION_WINDOW: Duration = { text: '1h', millis: 3_600_000 }
export const DEFAULT_EVALUATION_INTERVAL: Duration = { text: '5m', millis: 300_000 }

/** `schedule.evaluation`: how long (`window`) and how often (`interval`) a period is evaluated (C9). */
export const EvaluationConfig = Schema.Struct({
  window: Schema.optionalWith(DurationFromString, { default: () => DEFAULT_EVALUATION_WINDOW }),
  interval: Schema.optionalWith(DurationFromString, { default: () => DEFAULT_EVALUATION_INTERVAL }),
})
  .pipe(
    Schema.filter((evaluation) => {
      const issues: Array<{ path: ReadonlyArray<string>; message: string }> = []
      if (evaluation.window.millis < ONE_SECOND_MS) {
        issues.push({
          path: ['window'],
          message: `window ${evaluation.window.text} is shorter than 1s; use at least 1s`,
        })
      }
      if (evaluation.interval.millis < ONE_SECOND_MS) {
        issues.push({
          path: ['interval'],
          message: `interval ${evaluation.interval.text} is shorter than 1s; use at least 1s (C9)`,
        })
      } else if (evaluation.interval.millis > evaluation.window.millis) {
        issues.push({
          path: ['interval'],
          message: `interval ${evaluation.interval.text} is longer than window ${evaluation.window.text}; make it at most the window`,
        })
      }
      return issues
    }),
  )
  .annotations({ identifier: 'EvaluationConfig' })
export type EvaluationConfig = typeof EvaluationConfig.Type

/** `schedule.exclude`: periods that do not run (judged on the period's date, C7). */
export const ExcludeConfig = Schema.Struct({
  weekends: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** A named calendar whose days and dates are excluded (C6). */
  holidays: optional(CalendarName),
  dates: Schema.optionalWith(Schema.Array(CalendarDate), { default: () => [] }),
}).annotations({ identifier: 'ExcludeConfig' })
export type ExcludeConfig = typeof ExcludeConfig.Type

/** `schedule.include`: the only dates whose periods may run; feeds IRREGULAR_SCHEDULE_MISSED (C5). */
export const IncludeConfig = Schema.Struct({
  dates: Schema.Array(CalendarDate).pipe(
    Schema.filter((dates) => dates.length > 0 || 'list at least one date (YYYY-MM-DD), or remove include', {
      jsonSchema: { minItems: 1 },
    }),
  ),
}).annotations({ identifier: 'IncludeConfig' })
export type IncludeConfig = typeof IncludeConfig.Type

const scheduleFields = {
  cron: optional(CronExpression),
  timezone: Schema.optionalWith(TimeZone, { default: () => UTC }),
  trigger: optional(TriggerCondition),
  exclude: optional(ExcludeConfig),
  include: optional(IncludeConfig),
  /** A named calendar whose days and dates are excluded, like `exclude.holidays` (C6). */
  calendar: optional(CalendarName),
  /** A missed-schedule alert for a period is not raised before this local time. */
  time: optional(ClockTime),
  evaluation: Schema.optionalWith(EvaluationConfig, {
    default: () => ({ window: DEFAULT_EVALUATION_WINDOW, interval: DEFAULT_EVALUATION_INTERVAL }),
  }),
}

const cronExcludesInclude = (schedule: { readonly cron?: unknown; readonly include?: unknown }) =>
  schedule.cron !== undefined && schedule.include !== undefined
    ? {
        path: ['include'],
        message:
          'cron and include are mutually exclusive; keep cron for a regular schedule or include for listed dates',
      }
    : undefined

/** The `schedule` block (spec §1.4, C4–C9). */
export const ScheduleConfig = Schema.Struct(scheduleFields)
  .pipe(Schema.filter(cronExcludesInclude))
  .annotations({ identifier: 'ScheduleConfig' })
export type ScheduleConfig = typeof ScheduleConfig.Type

/** A schedule name (C14): 1–64 letters, digits, underscores or hyphens; `default` names a single `schedule:`. */
export const ScheduleName = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9_-]{1,64}$/, {
    message: (issue) =>
      `${JSON.stringify(issue.actual)} is not a schedule name; use 1–64 letters, digits, underscores or hyphens`,
  }),
  Schema.brand('ScheduleName'),
).annotations({ identifier: 'ScheduleName' })
export type ScheduleName = typeof ScheduleName.Type

/**
 * One entry of `schedules:` (C14, seed 001): the fields of `schedule`, a `name`, `after` (the local time
 * before which the period does not start), and its own `deadline` (shorthand for `sla.deadline`) or `sla`.
 */
export const NamedScheduleConfig = Schema.Struct({
  name: ScheduleName,
  ...scheduleFields,
  after: optional(ClockTime),
  deadline: optional(ClockDeadline),
  sla: optional(SlaConfig),
})
  .pipe(
    Schema.filter((schedule) => [
      cronExcludesInclude(schedule),
      schedule.deadline !== undefined && schedule.sla?.deadline !== undefined
        ? { path: ['deadline'], message: 'give the deadline once: either deadline or sla.deadline' }
        : undefined,
    ]),
  )
  .annotations({ identifier: 'NamedScheduleConfig' })
export type NamedScheduleConfig = typeof NamedScheduleConfig.Type
