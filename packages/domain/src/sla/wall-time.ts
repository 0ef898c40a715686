import { IANAZone } from 'luxon'

const MS_PER_MINUTE = 60_000
const MS_PER_DAY = 86_400_000

/**
 * The instant a local wall-clock time (date `YYYY-MM-DD`, hour, minute; overflowing fields roll over) has in
 * `timezone`, with DST resolved deliberately: a time skipped by spring-forward moves forward by the gap
 * (New York 02:30 on 2026-03-08 → 03:30 EDT), a time that occurs twice in fall-back takes its first
 * occurrence (New York 01:30 on 2026-11-01 → 01:30 EDT). Offsets come from luxon's IANA zone data.
 */
export const wallTimeToInstant = (date: string, hour: number, minute: number, timezone: string): number => {
  const zone = IANAZone.create(timezone)
  if (!zone.isValid)
    throw new Error(`time zone "${timezone}" is unknown; configs are validated, so this is a bug`)
  const [year, month, day] = date.split('-').map(Number)
  const wall = Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1, hour, minute)
  const offsetBefore = zone.offset(wall - MS_PER_DAY)
  const offsetAfter = zone.offset(wall + MS_PER_DAY)
  const candidates = [wall - offsetBefore * MS_PER_MINUTE, wall - offsetAfter * MS_PER_MINUTE].sort(
    (a, b) => a - b,
  )
  const exact = candidates.find((instant) => instant + zone.offset(instant) * MS_PER_MINUTE === wall)
  return exact ?? wall - offsetBefore * MS_PER_MINUTE
}

/** The calendar date `days` after `date` (`2026-12-31` + 1 → `2027-01-01`). */
export const addDays = (date: string, days: number): string => {
  const [year, month, day] = date.split('-').map(Number)
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (day ?? 1) + days)).toISOString().slice(0, 10)
}

/** The local calendar date of an instant in `timezone`. */
export const localDate = (instant: number, timezone: string): string => {
  const offset = IANAZone.create(timezone).offset(instant)
  return new Date(instant + offset * MS_PER_MINUTE).toISOString().slice(0, 10)
}
