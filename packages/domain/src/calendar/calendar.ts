import { ParseResult, Schema } from 'effect'
import { CalendarName } from '../config/calendar-name.ts'
import { CalendarDate } from '../period/calendar-date.ts'

const WEEKDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const

/** A day of the week, decoded lower-case. */
export const Weekday = Schema.Literal(...WEEKDAY_NAMES)
export type Weekday = typeof Weekday.Type

/** A weekday as written in a calendar file: the English name in any letter case (`Saturday`, `sunday`). */
const WeekdayFromString = Schema.transformOrFail(Schema.String, Weekday, {
  strict: true,
  decode: (text, _options, ast) => {
    const day = WEEKDAY_NAMES.find((name) => name === text.toLowerCase())
    return day !== undefined
      ? ParseResult.succeed(day)
      : ParseResult.fail(
          new ParseResult.Type(
            ast,
            text,
            `"${text}" is not a day of the week; write its English name, e.g. saturday`,
          ),
        )
  },
  encode: (day) => ParseResult.succeed(day),
}).annotations({ jsonSchema: { type: 'string' } })

/**
 * A named calendar (spec §1.10, C6): the days of the week and the dates it excludes. Registered like a
 * pipeline; a schedule names it in `calendar` or `exclude.holidays`.
 */
export const Calendar = Schema.Struct({
  name: CalendarName,
  days: Schema.optionalWith(Schema.Array(WeekdayFromString), { default: () => [] }),
  dates: Schema.optionalWith(Schema.Array(CalendarDate), { default: () => [] }),
}).annotations({ identifier: 'Calendar' })
export type Calendar = typeof Calendar.Type

/** The weekday of a calendar date `YYYY-MM-DD` (the zone cannot change the weekday of a date). */
export const weekdayOf = (date: string): Weekday => {
  const [year, month, day] = date.split('-').map(Number)
  const index = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1)).getUTCDay()
  return WEEKDAY_NAMES[index] ?? 'sunday'
}
