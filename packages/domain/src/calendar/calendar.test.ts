import { Either, Schema } from 'effect'
import { describe, expect, it } from 'vitest'
import { ScheduleConfig } from '../config/schedule-config.ts'
import { type ExecutionPeriod, parseExecutionPeriod } from '../period/execution-period.ts'
import type { Calendar } from './calendar.ts'
import { parseCalendar } from './parse-calendar.ts'
import { periodExclusion } from './period-exclusion.ts'

const US_FEDERAL_YAML = `name: us-federal
days: [saturday, sunday]
dates: ["2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-07-03", "2026-07-04", "2026-09-07", "2026-11-26", "2026-11-27", "2026-12-25"]
`
const calendar = (input: unknown): Calendar => Either.getOrThrow(parseCalendar(input))
const period = (text: string) => parseExecutionPeriod(text) as ExecutionPeriod
const schedule = (input: Record<string, unknown>) => Schema.decodeUnknownSync(ScheduleConfig)(input)

describe('§6.9 calendars (internal/calendar)', () => {
  it('TestRegistry_LoadDir — a calendar file gives its days and dates', () => {
    const usFederal = calendar(US_FEDERAL_YAML)
    expect(usFederal.name).toBe('us-federal')
    expect(usFederal.days).toEqual(['saturday', 'sunday'])
    expect(usFederal.dates).toHaveLength(10)
  })

  it('reads day names in any letter case (seed 001 writes Saturday)', () => {
    expect(calendar({ name: 'uk-business', days: ['Saturday', 'SUNDAY'] }).days).toEqual([
      'saturday',
      'sunday',
    ])
  })

  it('TestRegistry_LoadFile_NoName / TestRegistry_Register_NoName', () => {
    expect(parseCalendar('days: [saturday]\n')).toEqual(
      Either.left([{ path: 'name', message: 'the calendar has no name; add name: <calendar-name>' }]),
    )
    expect(Either.isLeft(parseCalendar({ name: '' }))).toBe(true)
  })

  it('TestRegistry_LoadFile_InvalidYAML', () => {
    const result = parseCalendar('{{invalid')
    expect(Either.isLeft(result) && result.left[0]?.message).toMatch(/^parsing YAML: /)
  })

  it('refuses unknown days, bad dates and unknown keys, all at once', () => {
    expect(parseCalendar({ name: 'x', days: ['funday'], dates: ['2026-1-1'], holidays: [] })).toEqual(
      Either.left([
        { path: 'holidays', message: 'unknown key "holidays"; known keys here: name, days, dates' },
        {
          path: 'days[0]',
          message: '"funday" is not a day of the week; write its English name, e.g. saturday',
        },
        { path: 'dates[0]', message: '"2026-1-1" is not a date; write a real date as YYYY-MM-DD' },
      ]),
    )
  })
})

describe('§6.10 TestIsExcludedDate_* — judged on the period’s date (C7)', () => {
  const weekends = schedule({ exclude: { weekends: true, dates: ['2026-03-10'] } })

  it('_NoExclusions', () => {
    expect(periodExclusion(schedule({}), period('2026-03-07'), [])).toBeUndefined()
  })

  it('_WeekendSaturday', () => {
    expect(periodExclusion(weekends, period('2026-03-07'), [])).toEqual({
      reason: 'weekend',
      message: '2026-03-07 is a saturday and schedule.exclude.weekends is set',
    })
  })

  it('_WeekendSunday', () => {
    expect(periodExclusion(weekends, period('2026-03-08'), [])?.reason).toBe('weekend')
  })

  it('_WeekdayFriday', () => {
    expect(periodExclusion(weekends, period('2026-03-06'), [])).toBeUndefined()
  })

  it('_SpecificDate', () => {
    expect(periodExclusion(weekends, period('2026-03-10'), [])).toEqual({
      reason: 'excluded-date',
      message: '2026-03-10 is listed in schedule.exclude.dates',
    })
  })

  it('_CompositePerHourDate — an hourly period uses its date', () => {
    expect(periodExclusion(weekends, period('2026-03-07T10'), [])?.reason).toBe('weekend')
  })

  it('_Timezone — the zone does not change the weekday of a period (LA Saturday is Saturday)', () => {
    const la = schedule({ timezone: 'America/Los_Angeles', exclude: { weekends: true } })
    expect(periodExclusion(la, period('2026-03-07'), [])?.reason).toBe('weekend')
  })
})

describe('named calendars and inclusion (C5, C6, L7)', () => {
  const usFederal = calendar(US_FEDERAL_YAML)

  it('exclude.holidays excludes the calendar’s dates', () => {
    const config = schedule({ exclude: { holidays: 'us-federal' } })
    expect(periodExclusion(config, period('2026-07-03'), [usFederal])).toEqual({
      reason: 'calendar-date',
      message: '2026-07-03 is excluded by calendar us-federal',
    })
  })

  it('schedule.calendar excludes the calendar’s days', () => {
    expect(periodExclusion(schedule({ calendar: 'us-federal' }), period('2026-03-08'), [usFederal])).toEqual({
      reason: 'calendar-day',
      message: '2026-03-08 is a sunday, excluded by calendar us-federal',
    })
  })

  it('a working day outside the calendar runs', () => {
    expect(
      periodExclusion(schedule({ calendar: 'us-federal' }), period('2026-03-09'), [usFederal]),
    ).toBeUndefined()
  })

  it('include restricts the periods that may run to its dates (C5)', () => {
    const config = schedule({ include: { dates: ['2026-03-31', '2026-06-30'] } })
    expect(periodExclusion(config, period('2026-03-31T05'), [])).toBeUndefined()
    expect(periodExclusion(config, period('2026-04-01'), [])).toEqual({
      reason: 'not-included',
      message: '2026-04-01 is not one of the dates in schedule.include',
    })
  })

  it('a calendar that was never registered is a bug, loudly', () => {
    expect(() => periodExclusion(schedule({ calendar: 'nowhere' }), period('2026-03-09'), [])).toThrow(
      'calendar "nowhere" is not registered',
    )
  })
})
