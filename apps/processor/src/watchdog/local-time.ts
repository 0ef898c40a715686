import { addDays, localDate, wallTimeToInstant } from '@interlock/domain'

const HOUR_MS = 3_600_000

const hourFormats = new Map<string, Intl.DateTimeFormat>()

/** The local hour (0–23) of an instant in a zone. */
const localHour = (instant: number, timezone: string): number => {
  let format = hourFormats.get(timezone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', hourCycle: 'h23' })
    hourFormats.set(timezone, format)
  }
  return Number(format.format(new Date(instant)))
}

/** The hourly period (`YYYY-MM-DDTHH`, local to `timezone`) an instant falls in. */
export const hourPeriodAt = (instant: number, timezone: string): string =>
  `${localDate(instant, timezone)}T${String(localHour(instant, timezone)).padStart(2, '0')}`

/** The daily period (`YYYY-MM-DD`, local to `timezone`) `daysAgo` days before the one `instant` falls in. */
export const dayPeriodAt = (instant: number, timezone: string, daysAgo = 0): string =>
  addDays(localDate(instant, timezone), -daysAgo)

/** The hourly period `hoursAgo` hours before the one `instant` falls in. */
export const hourPeriodBefore = (instant: number, timezone: string, hoursAgo: number): string =>
  hourPeriodAt(instant - hoursAgo * HOUR_MS, timezone)

/** The instant a local `date` starts in `timezone`. */
export const startOfDate = (date: string, timezone: string): number => wallTimeToInstant(date, 0, 0, timezone)
