import { isCalendarDate } from '../period/calendar-date.ts'
import { parseDecimal } from './decimal.ts'

/** Epoch values below this are seconds, others milliseconds (R5): 1e12 ms is 2001-09-09, 1e12 s is year 33658. */
const EPOCH_SECONDS_BELOW = 1e12
const MS_PER_SECOND = 1_000
const MS_PER_MINUTE = 60_000
const RFC_3339 =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:[.,](\d+))?(Z|([+-])([01]\d|2[0-3]):([0-5]\d))$/

/** Epoch milliseconds of an epoch number in seconds or milliseconds (R5). */
const fromEpoch = (value: number): number | undefined => {
  if (!Number.isFinite(value)) return undefined
  return Math.abs(value) < EPOCH_SECONDS_BELOW ? value * MS_PER_SECOND : value
}

/** Epoch milliseconds of a strict RFC 3339 timestamp (upper-case T and Z, seconds and zone required). */
export const parseRfc3339 = (text: string): number | undefined => {
  const match = RFC_3339.exec(text)
  if (match === null) return undefined
  const [, date = '', hour, minute, second, fraction = '', , sign, offsetHour, offsetMinute] = match
  if (!isCalendarDate(date)) return undefined
  const [year, month, day] = date.split('-').map(Number)
  const wall = Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, Number(hour), Number(minute), Number(second))
  const fractionMs = fraction === '' ? 0 : Math.trunc(Number(`0.${fraction}`) * MS_PER_SECOND)
  const offset =
    sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(offsetHour) * 60 + Number(offsetMinute))
  // Date.UTC maps years 0–99 to 1900–1999; set the year again so 0001-01-01 means year 1.
  const instant = new Date(wall)
  instant.setUTCFullYear(year ?? 0)
  return instant.getTime() + fractionMs - offset * MS_PER_MINUTE
}

/**
 * The one timestamp parser (R5) for age rules, the rerun circuit breaker and post-run checks: an RFC 3339
 * string, or an epoch number (or decimal string) — below 1e12 seconds, otherwise milliseconds. Returns epoch
 * milliseconds, or undefined for anything else.
 */
export const parseTimestamp = (value: unknown): number | undefined => {
  if (typeof value === 'number') return fromEpoch(value)
  if (typeof value !== 'string') return undefined
  const epoch = parseDecimal(value)
  return epoch !== undefined ? fromEpoch(epoch) : parseRfc3339(value)
}
