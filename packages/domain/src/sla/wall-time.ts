import { IANAZone } from 'luxon'

const MS_PER_MINUTE = 60_000
const MS_PER_HOUR = 3_600_000
const MS_PER_DAY = 86_400_000

/** Beyond this many remembered hours or wall times a cache starts over: it is a shortcut, never a store. */
const MAX_REMEMBERED = 100_000

/**
 * Zone offsets by zone and UTC hour. Luxon computes an offset with Intl.DateTimeFormat#formatToParts,
 * which the watchdog would call tens of thousands of times per scan. An hour whose start and end have the
 * same offset has it throughout (zones change offset at most once within an hour), so it is remembered;
 * an hour with a transition inside is computed exactly every time.
 */
const offsetsByHour = new Map<string, number>()

function offsetAt(zone: IANAZone, timezone: string, instant: number): number {
  const hour = Math.floor(instant / MS_PER_HOUR)
  const key = `${timezone}|${hour}`
  const known = offsetsByHour.get(key)
  if (known !== undefined) return known
  const start = zone.offset(hour * MS_PER_HOUR)
  if (start !== zone.offset((hour + 1) * MS_PER_HOUR - 1)) return zone.offset(instant)
  if (offsetsByHour.size >= MAX_REMEMBERED) offsetsByHour.clear()
  offsetsByHour.set(key, start)
  return start
}

const instantsByWallTime = new Map<string, number>()

/**
 * The instant a local wall-clock time (date `YYYY-MM-DD`, hour, minute; overflowing fields roll over) has in
 * `timezone`, with DST resolved deliberately: a time skipped by spring-forward moves forward by the gap
 * (New York 02:30 on 2026-03-08 → 03:30 EDT), a time that occurs twice in fall-back takes its first
 * occurrence (New York 01:30 on 2026-11-01 → 01:30 EDT). Offsets come from luxon's IANA zone data.
 */
export const wallTimeToInstant = (date: string, hour: number, minute: number, timezone: string): number => {
  const key = `${date}|${hour}|${minute}|${timezone}`
  const known = instantsByWallTime.get(key)
  if (known !== undefined) return known
  const zone = IANAZone.create(timezone)
  if (!zone.isValid)
    throw new Error(`time zone "${timezone}" is unknown; configs are validated, so this is a bug`)
  const [year, month, day] = date.split('-').map(Number)
  const wall = Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1, hour, minute)
  const offsetBefore = offsetAt(zone, timezone, wall - MS_PER_DAY)
  const offsetAfter = offsetAt(zone, timezone, wall + MS_PER_DAY)
  const candidates = [wall - offsetBefore * MS_PER_MINUTE, wall - offsetAfter * MS_PER_MINUTE].sort(
    (a, b) => a - b,
  )
  const exact = candidates.find(
    (instant) => instant + offsetAt(zone, timezone, instant) * MS_PER_MINUTE === wall,
  )
  const instant = exact ?? wall - offsetBefore * MS_PER_MINUTE
  if (instantsByWallTime.size >= MAX_REMEMBERED) instantsByWallTime.clear()
  instantsByWallTime.set(key, instant)
  return instant
}

/** The calendar date `days` after `date` (`2026-12-31` + 1 → `2027-01-01`). */
export const addDays = (date: string, days: number): string => {
  const [year, month, day] = date.split('-').map(Number)
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (day ?? 1) + days)).toISOString().slice(0, 10)
}

/** The local calendar date of an instant in `timezone`. */
export const localDate = (instant: number, timezone: string): string =>
  localDateTime(instant, timezone).slice(0, 10)

/** The local date and time of an instant in `timezone`, as `YYYY-MM-DDTHH:mm:ss.sss` (no offset). */
export const localDateTime = (instant: number, timezone: string): string => {
  const offset = offsetAt(IANAZone.create(timezone), timezone, instant)
  return new Date(instant + offset * MS_PER_MINUTE).toISOString().slice(0, 23)
}
