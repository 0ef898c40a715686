import { Schema } from 'effect'
import { Calendar } from '../calendar/calendar.ts'
import { Instant } from '../shared/instant.ts'

/** The first definition of a named calendar (version 1, or the first after a removal). */
export const CalendarRegistered = Schema.TaggedStruct('CalendarRegistered', {
  at: Instant,
  version: Schema.Int.pipe(Schema.positive()),
  hash: Schema.String,
  calendar: Calendar,
}).annotations({ identifier: 'CalendarRegistered' })

/** A new definition of the calendar; exclusions are judged with it from the next decision on (C7). */
export const CalendarChanged = Schema.TaggedStruct('CalendarChanged', {
  at: Instant,
  version: Schema.Int.pipe(Schema.positive()),
  hash: Schema.String,
  previousHash: Schema.String,
  calendar: Calendar,
}).annotations({ identifier: 'CalendarChanged' })

/** The calendar is removed. */
export const CalendarRemoved = Schema.TaggedStruct('CalendarRemoved', {
  at: Instant,
  version: Schema.Int.pipe(Schema.positive()),
}).annotations({ identifier: 'CalendarRemoved' })

/** Every event of a calendar stream (`calendar-<name>`); all are schema version 1. */
export const CalendarEvent = Schema.Union(CalendarRegistered, CalendarChanged, CalendarRemoved).annotations({
  identifier: 'CalendarEvent',
})
export type CalendarEvent = typeof CalendarEvent.Type
