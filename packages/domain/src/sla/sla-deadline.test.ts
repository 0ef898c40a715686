import { Either, Schema } from 'effect'
import { describe, expect, it } from 'vitest'
import { ClockDeadline } from '../config/clock-time.ts'
import { SlaConfig } from '../config/sla-config.ts'
import { parseDuration } from '../duration/duration.ts'
import { type ExecutionPeriod, parseExecutionPeriod } from '../period/execution-period.ts'
import { parseTimestamp } from '../rules/timestamp.ts'
import {
  absoluteSlaDeadline,
  HourlyDeadlineNeedsHourlyPeriod,
  relativeSlaDeadline,
  slaDeadlines,
} from './sla-deadline.ts'

const period = (text: string) => parseExecutionPeriod(text) as ExecutionPeriod
const duration = (text: string) => Either.getOrThrow(parseDuration(text))
const iso = (millis: number | undefined) =>
  millis === undefined ? undefined : new Date(millis).toISOString()
const at = (text: string) => Date.parse(text)

type Row = readonly [
  name: string,
  period: string,
  deadline: string,
  expectedDuration: string | undefined,
  timezone: string,
  cronFireAt: string | undefined,
  breach: string,
  warning: string | undefined,
]

const absolute = ([, periodText, deadline, expected, timezone, cronFireAt]: Row) =>
  absoluteSlaDeadline({
    period: period(periodText),
    deadline: Schema.decodeSync(ClockDeadline)(deadline),
    timezone,
    ...(expected !== undefined ? { expectedDuration: duration(expected) } : {}),
    ...(cronFireAt !== undefined ? { cronFireAt: at(cronFireAt) } : {}),
  })

const expectRow = (row: Row) => {
  const result = Either.getOrThrow(absolute(row))
  expect({ breach: iso(result.breachAt), warning: iso(result.warningAt) }).toEqual({
    breach: row[6],
    warning: row[7],
  })
}

describe('§4.4 worked examples and §6.3/§6.11 cases, as ruled by L4 (no "now", no roll-forward)', () => {
  const rows: ReadonlyArray<Row> = [
    // #1 sla: daily pipeline UTC — a cron pipeline firing 06:00 breaches 08:00 the same day …
    [
      '#1 daily pipeline UTC (cron fire 06:00)',
      '2026-03-28',
      '08:00',
      '30m',
      'UTC',
      '2026-03-28T06:00:00Z',
      '2026-03-28T08:00:00.000Z',
      '2026-03-28T07:30:00.000Z',
    ],
    // … while a sensor-triggered daily period breaches on the day after it (L4; the original only did this in the watchdog's T+1 shift).
    [
      '#1 daily pipeline UTC (sensor-triggered, L4: day after)',
      '2026-03-28',
      '08:00',
      '30m',
      'UTC',
      undefined,
      '2026-03-29T08:00:00.000Z',
      '2026-03-29T07:30:00.000Z',
    ],
    [
      '#2 hourly pipeline with offset deadline (H+1)',
      '2026-03-28T10',
      ':30',
      '15m',
      'UTC',
      undefined,
      '2026-03-28T11:30:00.000Z',
      '2026-03-28T11:15:00.000Z',
    ],
    [
      '#3 daily pipeline America/New_York (cron fire 06:00 EDT)',
      '2026-03-28',
      '09:00',
      '1h',
      'America/New_York',
      '2026-03-28T10:00:00Z',
      '2026-03-28T13:00:00.000Z',
      '2026-03-28T12:00:00.000Z',
    ],
    [
      '#8 Calculate_Basic',
      '2030-03-01',
      '08:00',
      '30m',
      'UTC',
      '2030-03-01T00:00:00Z',
      '2030-03-01T08:00:00.000Z',
      '2030-03-01T07:30:00.000Z',
    ],
    [
      '#9 Calculate_Midnight — warning on the previous day',
      '2030-03-01',
      '00:30',
      '1h',
      'UTC',
      '2030-03-01T00:00:00Z',
      '2030-03-01T00:30:00.000Z',
      '2030-02-28T23:30:00.000Z',
    ],
    [
      '#10 Calculate_DailyDeadlineRollsForward — now the day-after rule (L4), same instant',
      '2024-01-15',
      '02:00',
      '30m',
      'UTC',
      undefined,
      '2024-01-16T02:00:00.000Z',
      '2024-01-16T01:30:00.000Z',
    ],
    [
      '#11 Calculate_WithTimezone',
      '2030-06-15',
      '14:00',
      '30m',
      'America/New_York',
      '2030-06-15T12:00:00Z',
      '2030-06-15T18:00:00.000Z',
      '2030-06-15T17:30:00.000Z',
    ],
    [
      '#15 SLACalculate_HourlyDate_RelativeDeadline',
      '2026-03-03T10',
      ':30',
      '10m',
      'UTC',
      undefined,
      '2026-03-03T11:30:00.000Z',
      '2026-03-03T11:20:00.000Z',
    ],
    [
      '#16 SLACalculate_HourlyDate_Hour23Rollover',
      '2026-03-03T23',
      ':30',
      '10m',
      'UTC',
      undefined,
      '2026-03-04T00:30:00.000Z',
      '2026-03-04T00:20:00.000Z',
    ],
    [
      '#17 SLACalculate_HourlyDate_AbsoluteDeadline — first 11:00 after the hour (L4)',
      '2026-03-03T10',
      '11:00',
      '15m',
      'UTC',
      undefined,
      '2026-03-03T11:00:00.000Z',
      '2026-03-03T10:45:00.000Z',
    ],
    [
      '#18 SLACalculate_DailyDate_Unchanged — 02:00, the day after (L4)',
      '2026-03-03',
      '02:00',
      '30m',
      'UTC',
      undefined,
      '2026-03-04T02:00:00.000Z',
      '2026-03-04T01:30:00.000Z',
    ],
    [
      '#20 E2E SLAHourlyDeadline',
      '2026-03-07T13',
      ':30',
      '15m',
      'UTC',
      undefined,
      '2026-03-07T14:30:00.000Z',
      '2026-03-07T14:15:00.000Z',
    ],
    [
      '#21 Reconcile_PastWarningFutureBreach (cron fire 00:00)',
      '2026-03-11',
      '23:59',
      '48h',
      'UTC',
      '2026-03-11T00:00:00Z',
      '2026-03-11T23:59:00.000Z',
      '2026-03-09T23:59:00.000Z',
    ],
    [
      'computed: 0s expectedDuration puts the warning at the breach',
      '2026-03-28',
      '08:00',
      '0s',
      'UTC',
      '2026-03-28T06:00:00Z',
      '2026-03-28T08:00:00.000Z',
      '2026-03-28T08:00:00.000Z',
    ],
    [
      'computed: a past hourly period keeps its past breach (no roll)',
      '2026-03-03T10',
      ':30',
      '10m',
      'UTC',
      undefined,
      '2026-03-03T11:30:00.000Z',
      '2026-03-03T11:20:00.000Z',
    ],
    [
      'computed: Asia/Tokyo daily, sensor-triggered → 09:00 JST the day after',
      '2026-03-09',
      '09:00',
      '30m',
      'Asia/Tokyo',
      undefined,
      '2026-03-10T00:00:00.000Z',
      '2026-03-09T23:30:00.000Z',
    ],
    [
      'computed: Asia/Tokyo hourly 13 → 14:45 JST',
      '2026-03-09T13',
      ':45',
      '10m',
      'Asia/Tokyo',
      undefined,
      '2026-03-09T05:45:00.000Z',
      '2026-03-09T05:35:00.000Z',
    ],
    [
      'C10: no expectedDuration, no warning',
      '2026-03-28',
      '08:00',
      undefined,
      'UTC',
      undefined,
      '2026-03-29T08:00:00.000Z',
      undefined,
    ],
    [
      'cron fire after the deadline time: the next day’s HH:MM',
      '2026-03-28',
      '08:00',
      undefined,
      'UTC',
      '2026-03-28T09:00:00Z',
      '2026-03-29T08:00:00.000Z',
      undefined,
    ],
  ]

  it.each(rows)('%s', (...row) => expectRow(row))

  it('#19 Calculate_RelativeDeadline — ":30" on a daily period is an error, not "now’s hour" (L4)', () => {
    const result = absolute(['', '2026-03-02', ':30', '10m', 'UTC', undefined, '', undefined])
    expect(result).toEqual(
      Either.left(new HourlyDeadlineNeedsHourlyPeriod({ deadline: ':30', period: '2026-03-02' })),
    )
    expect(Either.isLeft(result) && result.left.message).toBe(
      'sla.deadline ":30" is a minute of the next hour, but period 2026-03-02 is a whole day; write the deadline as HH:MM, or send sensors with an hour for hourly periods',
    )
  })

  it('#4 empty date / #13 Calculate_EmptyDate — no longer possible: a period is always resolved (R3)', () => {
    expect(parseExecutionPeriod('')).toBeUndefined()
  })

  it.each([
    ['#5 invalid deadline format "8pm" (C11)', '8pm'],
    ['#14 Calculate_InvalidRelativeDeadline ":XX" (C11)', ':XX'],
    ['computed: ":5" needs two digits (C11)', ':5'],
    ['computed: "24:00" is out of range (C11)', '24:00'],
    ['C11: "8:00" needs two hour digits', '8:00'],
  ])('%s is refused when the config is registered', (_name, deadline) => {
    expect(Schema.is(ClockDeadline)(deadline)).toBe(false)
  })

  it('#6 invalid timezone / #12 Calculate_InvalidTimezone are refused at registration (C8)', () => {
    expect(
      Either.isLeft(
        Schema.decodeUnknownEither(SlaConfig)({ deadline: '08:00', timezone: 'Mars/Olympus_Mons' }),
      ),
    ).toBe(true)
  })

  it('#7 invalid expectedDuration is refused at registration (C9)', () => {
    expect(
      Either.isLeft(
        Schema.decodeUnknownEither(SlaConfig)({ deadline: '08:00', expectedDuration: 'not-a-duration' }),
      ),
    ).toBe(true)
  })
})

describe('DST transition days (L4: wall-clock deadlines, DST-safe)', () => {
  const rows: ReadonlyArray<Row> = [
    [
      'New York spring-forward: 09:00 the day after 2026-03-07 is 09:00 EDT (the original said 10:00)',
      '2026-03-07',
      '09:00',
      '1h',
      'America/New_York',
      undefined,
      '2026-03-08T13:00:00.000Z',
      '2026-03-08T12:00:00.000Z',
    ],
    [
      'New York fall-back: 09:00 the day after 2026-10-31 is 09:00 EST (the original said 08:00)',
      '2026-10-31',
      '09:00',
      '1h',
      'America/New_York',
      undefined,
      '2026-11-01T14:00:00.000Z',
      '2026-11-01T13:00:00.000Z',
    ],
    [
      'New York: 02:30 does not exist on 2026-03-08, the deadline is 03:30 EDT',
      '2026-03-07',
      '02:30',
      '30m',
      'America/New_York',
      undefined,
      '2026-03-08T07:30:00.000Z',
      '2026-03-08T07:00:00.000Z',
    ],
    [
      'New York: 01:30 happens twice on 2026-11-01, the deadline is the first (EDT)',
      '2026-10-31',
      '01:30',
      '30m',
      'America/New_York',
      undefined,
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T05:00:00.000Z',
    ],
    [
      'New York hourly 01 on spring-forward day: 01:30 EST + 1h = 03:30 EDT',
      '2026-03-08T01',
      ':30',
      '10m',
      'America/New_York',
      undefined,
      '2026-03-08T07:30:00.000Z',
      '2026-03-08T07:20:00.000Z',
    ],
    [
      'New York hourly 01 on fall-back day: first 01:00 (EDT) + 1h30',
      '2026-11-01T01',
      ':30',
      '10m',
      'America/New_York',
      undefined,
      '2026-11-01T06:30:00.000Z',
      '2026-11-01T06:20:00.000Z',
    ],
    [
      'New York cron 06:00 EDT on spring-forward day, deadline 09:00',
      '2026-03-08',
      '09:00',
      '30m',
      'America/New_York',
      '2026-03-08T10:00:00Z',
      '2026-03-08T13:00:00.000Z',
      '2026-03-08T12:30:00.000Z',
    ],
    [
      'London spring-forward: 08:00 on 2026-03-29 is 08:00 BST',
      '2026-03-28',
      '08:00',
      '30m',
      'Europe/London',
      undefined,
      '2026-03-29T07:00:00.000Z',
      '2026-03-29T06:30:00.000Z',
    ],
    [
      'London: 01:30 does not exist on 2026-03-29, the deadline is 02:30 BST',
      '2026-03-28',
      '01:30',
      '30m',
      'Europe/London',
      undefined,
      '2026-03-29T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
    ],
    [
      'London fall-back: 01:30 happens twice on 2026-10-25, the deadline is the first (BST)',
      '2026-10-24',
      '01:30',
      '30m',
      'Europe/London',
      undefined,
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T00:00:00.000Z',
    ],
    [
      'London fall-back: 08:00 on 2026-10-25 is 08:00 GMT',
      '2026-10-24',
      '08:00',
      '30m',
      'Europe/London',
      undefined,
      '2026-10-25T08:00:00.000Z',
      '2026-10-25T07:30:00.000Z',
    ],
    [
      'London hourly 00 on spring-forward day: 00:00 GMT + 1h30 = 02:30 BST',
      '2026-03-29T00',
      ':30',
      '10m',
      'Europe/London',
      undefined,
      '2026-03-29T01:30:00.000Z',
      '2026-03-29T01:20:00.000Z',
    ],
    [
      'London hourly 01 on fall-back day: first 01:00 (BST) + 1h30',
      '2026-10-25T01',
      ':30',
      '10m',
      'Europe/London',
      undefined,
      '2026-10-25T01:30:00.000Z',
      '2026-10-25T01:20:00.000Z',
    ],
  ]

  it.each(rows)('%s', (...row) => expectRow(row))
})

describe('relative SLA (§4.4 R1–R9, L5)', () => {
  const relative = (arrival: string, max: string, expected?: string) => {
    const result = relativeSlaDeadline({
      arrivalAt: parseTimestamp(arrival) ?? Number.NaN,
      maxDuration: duration(max),
      ...(expected !== undefined ? { expectedDuration: duration(expected) } : {}),
    })
    return { breach: iso(result.breachAt), warning: iso(result.warningAt) }
  }

  it.each([
    [
      'R1 with explicit expectedDuration',
      '2026-03-28T10:00:00Z',
      '2h',
      '30m',
      '2026-03-28T12:00:00.000Z',
      '2026-03-28T11:30:00.000Z',
    ],
    [
      'R2 without expectedDuration uses 25%',
      '2026-03-28T10:00:00Z',
      '2h',
      undefined,
      '2026-03-28T12:00:00.000Z',
      '2026-03-28T11:30:00.000Z',
    ],
    [
      'R5 Calculate_Relative_Basic',
      '2026-03-10T14:00:00Z',
      '2h',
      undefined,
      '2026-03-10T16:00:00.000Z',
      '2026-03-10T15:30:00.000Z',
    ],
    [
      'R6 Calculate_Relative_WithExpectedDuration',
      '2026-03-10T14:00:00Z',
      '2h',
      '30m',
      '2026-03-10T16:00:00.000Z',
      '2026-03-10T15:30:00.000Z',
    ],
    [
      'R7 Calculate_Relative_Default75Percent',
      '2026-03-10T10:00:00Z',
      '4h',
      undefined,
      '2026-03-10T14:00:00.000Z',
      '2026-03-10T13:00:00.000Z',
    ],
    [
      'computed: arrival with an offset, 90m',
      '2026-03-10T10:00:00+02:00',
      '90m',
      undefined,
      '2026-03-10T09:30:00.000Z',
      '2026-03-10T09:07:30.000Z',
    ],
    [
      'computed: 1h1s keeps the sub-second warning offset',
      '2026-03-10T10:00:00Z',
      '1h1s',
      undefined,
      '2026-03-10T11:00:01.000Z',
      '2026-03-10T10:45:00.750Z',
    ],
    [
      'computed: expectedDuration above maxDuration warns before arrival',
      '2026-03-10T10:00:00Z',
      '1h',
      '2h',
      '2026-03-10T11:00:00.000Z',
      '2026-03-10T09:00:00.000Z',
    ],
  ])('%s', (_name, arrival, max, expected, breach, warning) => {
    expect(relative(arrival, max, expected)).toEqual({ breach, warning })
  })

  it('R3/R9 invalid arrivalAt is no timestamp, and R4/R8 invalid maxDuration no duration (refused before any SLA starts)', () => {
    expect(parseTimestamp('not-a-timestamp')).toBeUndefined()
    expect(Either.isLeft(parseDuration('bogus'))).toBe(true)
  })
})

describe('slaDeadlines: both clocks, independently (L5)', () => {
  const sla = Schema.decodeUnknownSync(SlaConfig)({
    deadline: '10:00',
    expectedDuration: '30m',
    maxDuration: '4h',
    timezone: 'America/New_York',
  })

  it('gives the absolute clock, and the relative one once the first sensor has arrived', () => {
    const before = Either.getOrThrow(
      slaDeadlines(sla, { period: period('2026-06-15'), scheduleTimezone: 'UTC' }),
    )
    expect(before.relative).toBeUndefined()
    expect(iso(before.absolute?.breachAt)).toBe('2026-06-16T14:00:00.000Z')
    const after = Either.getOrThrow(
      slaDeadlines(sla, {
        period: period('2026-06-15'),
        scheduleTimezone: 'UTC',
        firstSensorAt: at('2026-06-15T20:00:00Z'),
      }),
    )
    expect({ breach: iso(after.relative?.breachAt), warning: iso(after.relative?.warningAt) }).toEqual({
      breach: '2026-06-16T00:00:00.000Z',
      warning: '2026-06-15T23:30:00.000Z',
    })
  })
})
