import { Schema } from 'effect'
import { Calendar } from '../calendar/calendar.ts'

// Commands of a calendar stream (`calendar-<name>`). Calendars are registered like pipelines (C6): the
// caller validates the text once with `parseCalendar` and sends the decoded calendar.

/**
 * Register a named calendar, or change it: the first registration is version 1, a registration with other
 * content is the next version, the same content again changes nothing.
 */
export const RegisterCalendar = Schema.TaggedStruct('RegisterCalendar', {
  calendar: Calendar,
}).annotations({ identifier: 'RegisterCalendar' })
export type RegisterCalendar = typeof RegisterCalendar.Type

/** Remove the calendar; registering it again later starts a new version. */
export const RemoveCalendar = Schema.TaggedStruct('RemoveCalendar', {}).annotations({
  identifier: 'RemoveCalendar',
})
export type RemoveCalendar = typeof RemoveCalendar.Type

/** Every command of a calendar stream. */
export const CalendarCommand = Schema.Union(RegisterCalendar, RemoveCalendar).annotations({
  identifier: 'CalendarCommand',
})
export type CalendarCommand = typeof CalendarCommand.Type
