import { Either, Schema } from 'effect'
import { describe, expect, it } from 'vitest'
import type { Calendar } from '../calendar/calendar.ts'
import { parseCalendar } from '../calendar/parse-calendar.ts'
import { InterlockEvent } from '../interlock-event.ts'
import { deciderSpecification } from '../shared/decider-specification.ts'
import type { CalendarCommand } from './commands.ts'
import { type CalendarContext, type CalendarRejection, decideCalendar } from './decide.ts'
import type { CalendarEvent } from './events.ts'
import { type CalendarState, evolveCalendar, initialCalendarState } from './state.ts'

const given = deciderSpecification<
  CalendarCommand,
  CalendarState,
  CalendarEvent,
  CalendarRejection,
  CalendarContext
>({ initialState: initialCalendarState, decide: decideCalendar, evolve: evolveCalendar })

const ctx: CalendarContext = { name: 'us-holidays', now: Date.parse('2026-03-01T00:00:00Z') }
const later: CalendarContext = { ...ctx, now: Date.parse('2026-03-02T00:00:00Z') }
const calendar = (input: Record<string, unknown>): Calendar =>
  Either.getOrThrow(parseCalendar({ name: 'us-holidays', ...input }))
const register = (input: Record<string, unknown>): CalendarCommand => ({
  _tag: 'RegisterCalendar',
  calendar: calendar(input),
})
const christmas = register({ dates: ['2025-12-25'] })
const registered = given([])
  .when(christmas, ctx)
  .thenEvents(() => undefined)

describe('calendar stream, before registration', () => {
  it('registers version 1 with the calendar and its content hash', () => {
    given([])
      .when(christmas, ctx)
      .thenEvents((events) =>
        expect(events).toEqual([
          {
            _tag: 'CalendarRegistered',
            at: '2026-03-01T00:00:00.000Z',
            version: 1,
            hash: expect.stringMatching(/^[0-9a-f]{16}$/),
            calendar: { name: 'us-holidays', days: [], dates: ['2025-12-25'] },
          },
        ]),
      )
  })

  it('refuses a calendar sent to another calendar stream, saying where to send it', () => {
    const rejection = given([])
      .when({ _tag: 'RegisterCalendar', calendar: calendar({ name: 'uk-business' }) }, ctx)
      .thenRejects('CalendarNameMismatch')
    expect(rejection.message).toBe(
      'The calendar is named uk-business but was sent to calendar us-holidays; send it to calendar-uk-business.',
    )
  })

  it('removes nothing that was never registered', () => {
    given([]).when({ _tag: 'RemoveCalendar' }, ctx).thenNothing()
  })
})

describe('calendar stream, registered', () => {
  it('ignores the same content again, even with day names in another letter case', () => {
    given(registered).when(christmas, later).thenNothing()
    const weekends = given([])
      .when(register({ days: ['saturday', 'sunday'] }), ctx)
      .thenEvents(() => undefined)
    given(weekends)
      .when(register({ days: ['Saturday', 'SUNDAY'] }), later)
      .thenNothing()
  })

  it('records a changed definition as the next version, naming the previous hash', () => {
    const previousHash = registered[0]?._tag === 'CalendarRegistered' ? registered[0].hash : undefined
    expect(previousHash).toMatch(/^[0-9a-f]{16}$/)
    given(registered)
      .when(register({ dates: ['2025-12-25', '2026-01-01'] }), later)
      .thenEvents((events) =>
        expect(events).toEqual([
          expect.objectContaining({
            _tag: 'CalendarChanged',
            at: '2026-03-02T00:00:00.000Z',
            version: 2,
            previousHash,
            calendar: { name: 'us-holidays', days: [], dates: ['2025-12-25', '2026-01-01'] },
          }),
        ]),
      )
    given(registered)
      .when(register({ dates: ['2026-01-01'] }), later)
      .thenState((state) =>
        expect(state).toMatchObject({
          status: 'Registered',
          version: 2,
          calendar: { dates: ['2026-01-01'] },
        }),
      )
  })

  it('removes it once; registering again afterwards is a new version, not version 1', () => {
    const removed = given(registered)
      .when({ _tag: 'RemoveCalendar' }, later)
      .thenEvents((events) =>
        expect(events).toEqual([{ _tag: 'CalendarRemoved', at: '2026-03-02T00:00:00.000Z', version: 2 }]),
      )
    given([...registered, ...removed])
      .when({ _tag: 'RemoveCalendar' }, later)
      .thenNothing()
    given([...registered, ...removed])
      .when(christmas, later)
      .thenEvents((events) => expect(events[0]).toMatchObject({ _tag: 'CalendarRegistered', version: 3 }))
  })

  it('stores its events in the log like every other stream (InterlockEvent round trip)', () => {
    const events = [
      ...registered,
      ...given(registered)
        .when(register({ days: ['friday'] }), later)
        .thenEvents(() => undefined),
    ]
    const codec = Schema.Array(InterlockEvent)
    const stored = JSON.parse(JSON.stringify(Schema.encodeSync(codec)(events)))
    const decoded = Schema.decodeUnknownSync(codec)(stored)
    expect(decoded).toEqual(events)
    expect(
      decoded
        .filter((event): event is CalendarEvent => event._tag.startsWith('Calendar'))
        .reduce(evolveCalendar, initialCalendarState),
    ).toMatchObject({ status: 'Registered', version: 2, calendar: { days: ['friday'] } })
  })
})
