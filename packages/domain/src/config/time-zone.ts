import { Schema } from 'effect'
import { IANAZone } from 'luxon'

/** An IANA time zone name (`UTC`, `America/New_York`, aliases such as `US/Eastern`); unknown zones are errors (C8). */
export const TimeZone = Schema.String.pipe(
  Schema.filter(
    (name) =>
      IANAZone.isValidZone(name) ||
      `"${name}" is not a known IANA time zone; use a name such as UTC, Europe/London or America/New_York`,
    { jsonSchema: { type: 'string', minLength: 1 } },
  ),
  Schema.brand('TimeZone'),
).annotations({ identifier: 'TimeZone' })
export type TimeZone = typeof TimeZone.Type

/** The zone every absent `timezone` means (C8). */
export const UTC: TimeZone = TimeZone.make('UTC')
