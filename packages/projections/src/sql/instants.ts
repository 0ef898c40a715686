import { type Instant, instantOf } from '@interlock/domain'

/** A timestamptz as pg returns it (a Date), as the domain's Instant. */
export const instantOfDate = (date: Date): Instant => instantOf(date.getTime())

export const instantOrNull = (date: Date | null): Instant | null =>
  date === null ? null : instantOfDate(date)
