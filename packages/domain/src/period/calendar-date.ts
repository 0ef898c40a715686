import { Schema } from 'effect'

const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate()

/** True for a real Gregorian date written exactly `YYYY-MM-DD` (`2026-02-29` is not one; spec A.4). */
export const isCalendarDate = (text: string): boolean => {
  const match = DATE_SHAPE.exec(text)
  if (match === null) return false
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}

/** A calendar date `YYYY-MM-DD`, checked to exist (leap years included). */
export const CalendarDate = Schema.String.pipe(
  Schema.filter(
    (text) => isCalendarDate(text) || `"${text}" is not a date; write a real date as YYYY-MM-DD`,
    {
      jsonSchema: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
    },
  ),
  Schema.brand('CalendarDate'),
).annotations({ identifier: 'CalendarDate' })
export type CalendarDate = typeof CalendarDate.Type
