import { Schema } from 'effect'

/**
 * An instant as stored in events and states: ISO-8601 in UTC with milliseconds (`2026-03-01T06:00:00.000Z`),
 * exactly what `Date.prototype.toISOString` writes. A plain string on both sides of the Schema, so a
 * folded state serialises to the same JSON bytes on every replay, and two instants compare correctly as
 * strings.
 */
export const Instant = Schema.String.pipe(
  Schema.pattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, {
    message: () => 'an instant is an ISO-8601 UTC timestamp with milliseconds, e.g. 2026-03-01T06:00:00.000Z',
  }),
  Schema.brand('Instant'),
).annotations({ identifier: 'Instant' })
export type Instant = typeof Instant.Type

let lastMillis = Number.NaN
let lastInstant = '' as Instant

/**
 * The instant of an epoch-millisecond value (the form `now` has in a decision context). The last one is
 * kept: a batch of readings is decided at one `now`, and formatting a date is most of this call.
 */
export const instantOf = (epochMillis: number): Instant => {
  if (epochMillis !== lastMillis) {
    lastInstant = new Date(epochMillis).toISOString() as Instant
    lastMillis = epochMillis
  }
  return lastInstant
}

/** Epoch milliseconds of a stored instant. */
export const epochMillisOf = (instant: Instant): number => Date.parse(instant)

/** Parses any ISO-8601 / RFC 3339 text into an Instant; for test data and for values other modules hand over. */
export const instantFromText = (text: string): Instant => {
  const millis = Date.parse(text)
  if (Number.isNaN(millis))
    throw new Error(`"${text}" is not an ISO-8601 timestamp; write e.g. 2026-03-01T06:00:00Z`)
  return instantOf(millis)
}

export const SECOND = 1_000
export const MINUTE = 60 * SECOND
export const HOUR = 60 * MINUTE
