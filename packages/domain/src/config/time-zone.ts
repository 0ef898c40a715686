import { Schema } from 'effect'
import { IANAZone } from 'luxon'

/**
 * Zone names found valid, so a name is checked by Intl once per process: the check builds a
 * DateTimeFormat, and configs (and every event that carries one) are decoded often.
 */
const knownZones = new Set<string>()

function isKnownZone(name: string): boolean {
  if (knownZones.has(name)) return true
  if (!IANAZone.isValidZone(name)) return false
  knownZones.add(name)
  return true
}

/** An IANA time zone name (`UTC`, `America/New_York`, aliases such as `US/Eastern`); unknown zones are errors (C8). */
export const TimeZone = Schema.String.pipe(
  Schema.filter(
    (name) =>
      isKnownZone(name) ||
      `"${name}" is not a known IANA time zone; use a name such as UTC, Europe/London or America/New_York`,
    { jsonSchema: { type: 'string', minLength: 1 } },
  ),
  Schema.brand('TimeZone'),
).annotations({ identifier: 'TimeZone' })
export type TimeZone = typeof TimeZone.Type

/** The zone every absent `timezone` means (C8). */
export const UTC: TimeZone = TimeZone.make('UTC')
