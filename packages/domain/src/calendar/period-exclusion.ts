import type { ScheduleConfig } from '../config/schedule-config.ts'
import { type ExecutionPeriod, periodDate } from '../period/execution-period.ts'
import { type Calendar, weekdayOf } from './calendar.ts'

/** Why a period does not run: what excluded it and a sentence for alerts and explain. */
export interface PeriodExclusion {
  readonly reason: 'weekend' | 'excluded-date' | 'calendar-day' | 'calendar-date' | 'not-included'
  readonly message: string
}

type ScheduleCalendars = Pick<ScheduleConfig, 'exclude' | 'include' | 'calendar'>

/**
 * Whether a period is excluded from running, judged on the period's date in every path (C5–C7): weekends,
 * excluded dates, the days and dates of the named calendars (`calendar`, `exclude.holidays`), and — when
 * `include` is set — every date not listed. Calendars are looked up by name; configs are checked at
 * registration (C6), so a missing one is a bug and throws.
 */
export const periodExclusion = (
  schedule: ScheduleCalendars,
  period: ExecutionPeriod,
  calendars: ReadonlyArray<Calendar>,
): PeriodExclusion | undefined => {
  const date = periodDate(period)
  const weekday = weekdayOf(date)
  const exclude = schedule.exclude
  if (exclude?.weekends === true && (weekday === 'saturday' || weekday === 'sunday')) {
    return { reason: 'weekend', message: `${date} is a ${weekday} and schedule.exclude.weekends is set` }
  }
  if (exclude?.dates.includes(date) === true) {
    return { reason: 'excluded-date', message: `${date} is listed in schedule.exclude.dates` }
  }
  for (const name of [schedule.calendar, exclude?.holidays]) {
    if (name === undefined) continue
    const calendar = calendars.find((each) => each.name === name)
    if (calendar === undefined) {
      throw new Error(`calendar "${name}" is not registered; configs naming it should have been refused (C6)`)
    }
    if (calendar.days.includes(weekday)) {
      return { reason: 'calendar-day', message: `${date} is a ${weekday}, excluded by calendar ${name}` }
    }
    if (calendar.dates.includes(date)) {
      return { reason: 'calendar-date', message: `${date} is excluded by calendar ${name}` }
    }
  }
  if (schedule.include !== undefined && !schedule.include.dates.includes(date)) {
    return { reason: 'not-included', message: `${date} is not one of the dates in schedule.include` }
  }
  return undefined
}
