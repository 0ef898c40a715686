import type { Calendar } from '../calendar/calendar.ts'
import { unreachable } from '../shared/decision.ts'
import type { CalendarEvent } from './events.ts'

/** A named calendar is unregistered, registered (with its current definition) or removed. */
export type CalendarState =
  | { readonly status: 'Unregistered'; readonly version: number }
  | {
      readonly status: 'Registered'
      readonly version: number
      readonly hash: string
      readonly calendar: Calendar
    }
  | { readonly status: 'Removed'; readonly version: number }

export const initialCalendarState: CalendarState = { status: 'Unregistered', version: 0 }

/** Folds one calendar event. Never throws. */
export const evolveCalendar = (_state: CalendarState, event: CalendarEvent): CalendarState => {
  switch (event._tag) {
    case 'CalendarRegistered':
    case 'CalendarChanged':
      return { status: 'Registered', version: event.version, hash: event.hash, calendar: event.calendar }
    case 'CalendarRemoved':
      return { status: 'Removed', version: event.version }
    default:
      return unreachable(event)
  }
}
