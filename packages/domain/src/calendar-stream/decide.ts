import { Schema } from 'effect'
import { Calendar } from '../calendar/calendar.ts'
import { contentHash } from '../shared/content-hash.ts'
import { accept, type Decision, nothing, reject, unreachable } from '../shared/decision.ts'
import { instantOf } from '../shared/instant.ts'
import type { CalendarCommand } from './commands.ts'
import type { CalendarEvent } from './events.ts'
import type { CalendarState } from './state.ts'

/** The calendar names another calendar than the stream's. */
export class CalendarNameMismatch extends Schema.TaggedError<CalendarNameMismatch>()('CalendarNameMismatch', {
  streamName: Schema.String,
  calendarName: Schema.String,
}) {
  override get message(): string {
    return `The calendar is named ${this.calendarName} but was sent to calendar ${this.streamName}; send it to calendar-${this.calendarName}.`
  }
}

export type CalendarRejection = CalendarNameMismatch

/** Context of a calendar decision: the stream's calendar name and `now` in epoch milliseconds. */
export interface CalendarContext {
  readonly name: string
  readonly now: number
}

const encodeCalendar = Schema.encodeSync(Calendar)

/** The content hash of a calendar as stored (day names lower-case), so letter case alone is no new version. */
export const calendarHash = (calendar: Calendar): string => contentHash(encodeCalendar(calendar))

/** Decides a calendar command: versions by content hash (like pipeline configs), and removal. */
export const decideCalendar = (
  command: CalendarCommand,
  state: CalendarState,
  context: CalendarContext,
): Decision<CalendarEvent, CalendarRejection> => {
  const at = instantOf(context.now)
  switch (command._tag) {
    case 'RegisterCalendar': {
      if (command.calendar.name !== context.name) {
        return reject(
          new CalendarNameMismatch({ streamName: context.name, calendarName: command.calendar.name }),
        )
      }
      const hash = calendarHash(command.calendar)
      const version = state.version + 1
      if (state.status !== 'Registered') {
        return accept([{ _tag: 'CalendarRegistered', at, version, hash, calendar: command.calendar }])
      }
      if (state.hash === hash) return nothing
      return accept([
        { _tag: 'CalendarChanged', at, version, hash, previousHash: state.hash, calendar: command.calendar },
      ])
    }
    case 'RemoveCalendar':
      return state.status === 'Registered'
        ? accept([{ _tag: 'CalendarRemoved', at, version: state.version + 1 }])
        : nothing
    default:
      return unreachable(command)
  }
}
