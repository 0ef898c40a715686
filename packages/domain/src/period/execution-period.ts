import { Either, Schema } from 'effect'
import { DateTime } from 'luxon'
import { type CalendarDate, isCalendarDate } from './calendar-date.ts'

const PERIOD_SHAPE = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}))?$/

const isPeriod = (text: string): boolean => {
  const match = PERIOD_SHAPE.exec(text)
  if (match === null || !isCalendarDate(match[1] ?? '')) return false
  return match[2] === undefined || Number(match[2]) <= 23
}

/**
 * An execution period: a day `YYYY-MM-DD`, or an hour `YYYY-MM-DDTHH` (00–23), local to the schedule's
 * zone. It names a run stream (`run-<id>-<schedule>-<period>`); always the dashed form.
 */
export const ExecutionPeriod = Schema.String.pipe(
  Schema.filter(
    (text) =>
      isPeriod(text) ||
      `"${text}" is not an execution period; write YYYY-MM-DD or YYYY-MM-DDTHH (hour 00–23)`,
    { jsonSchema: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2})?$' } },
  ),
  Schema.brand('ExecutionPeriod'),
).annotations({ identifier: 'ExecutionPeriod' })
export type ExecutionPeriod = typeof ExecutionPeriod.Type

/** The period a dashed (`2026-03-03T07`) or compact (`20260303T07`, `20260303`) text names, if it names one. */
export const parseExecutionPeriod = (text: string): ExecutionPeriod | undefined => {
  const compact = /^(\d{4})(\d{2})(\d{2})(T\d{2})?$/.exec(text)
  const dashed = compact === null ? text : `${compact[1]}-${compact[2]}-${compact[3]}${compact[4] ?? ''}`
  return isPeriod(dashed) ? (dashed as ExecutionPeriod) : undefined
}

/** The calendar date of a period (`2026-03-03T07` → `2026-03-03`). */
export const periodDate = (period: ExecutionPeriod): CalendarDate => period.slice(0, 10) as CalendarDate

/** The hour of an hourly period, or undefined for a daily one. */
export const periodHour = (period: ExecutionPeriod): number | undefined =>
  period.length > 10 ? Number(period.slice(11, 13)) : undefined

/** The compact spelling of a period (`2026-03-03T07` → `20260303T07`), as some sensor writers use. */
export const compactPeriod = (period: ExecutionPeriod): string => period.replaceAll('-', '')

/** The sensor field whose value could not be read as part of a period (R3). */
export class InvalidSensorPeriod extends Schema.TaggedError<InvalidSensorPeriod>()('InvalidSensorPeriod', {
  field: Schema.Literal('date', 'hour'),
  value: Schema.Unknown,
}) {
  override get message(): string {
    const shown = JSON.stringify(this.value) ?? String(this.value)
    return this.field === 'date'
      ? `sensor field "date" is ${shown}; write the execution date as a string YYYY-MM-DD or YYYYMMDD, or leave it out for today`
      : `sensor field "hour" is ${shown}; write the hour as a two-digit string "00"–"23" or a whole number 0–23, or leave it out for a daily period`
  }
}

const readDate = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined
  const dashed = /^\d{8}$/.test(value)
    ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`
    : value
  return isCalendarDate(dashed) ? dashed : undefined
}

const readHour = (value: unknown): string | undefined => {
  if (typeof value === 'string') return /^([01][0-9]|2[0-3])$/.test(value) ? value : undefined
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 23) {
    return String(value).padStart(2, '0')
  }
  return undefined
}

/**
 * The execution period a sensor reading is for (R3): `data.date` (`YYYY-MM-DD` or `YYYYMMDD`) and
 * `data.hour` (`"00"`–`"23"` or 0–23). Without `date` the period is today in `timezone` (with the given hour,
 * if any); `now` is epoch milliseconds. A present but invalid `date` or `hour` is an error naming the field.
 */
export const resolveExecutionPeriod = (
  data: Readonly<Record<string, unknown>>,
  now: number,
  timezone: string,
): Either.Either<ExecutionPeriod, InvalidSensorPeriod> => {
  const hasDate = Object.hasOwn(data, 'date') && data.date !== undefined
  const hasHour = Object.hasOwn(data, 'hour') && data.hour !== undefined
  const date = hasDate ? readDate(data.date) : todayIn(now, timezone)
  if (date === undefined) return Either.left(new InvalidSensorPeriod({ field: 'date', value: data.date }))
  if (!hasHour) return Either.right(date as ExecutionPeriod)
  const hour = readHour(data.hour)
  if (hour === undefined) return Either.left(new InvalidSensorPeriod({ field: 'hour', value: data.hour }))
  return Either.right(`${date}T${hour}` as ExecutionPeriod)
}

/** Today's date (`YYYY-MM-DD`) in `timezone` at instant `now` (epoch ms). */
export const todayIn = (now: number, timezone: string): string => {
  const local = DateTime.fromMillis(now, { zone: timezone })
  if (!local.isValid)
    throw new Error(`time zone "${timezone}" is unknown; configs are validated, so this is a bug`)
  return local.toISODate()
}
