import { Either } from 'effect'
import { describe, expect, it } from 'vitest'
import {
  compactPeriod,
  type ExecutionPeriod,
  InvalidSensorPeriod,
  parseExecutionPeriod,
  periodDate,
  periodHour,
  resolveExecutionPeriod,
} from './execution-period.ts'

const NOW = Date.parse('2026-03-05T06:17:00Z')
const resolve = (data: Record<string, unknown>, timezone = 'UTC') =>
  resolveExecutionPeriod(data, NOW, timezone)

describe('§6.10 TestResolveExecutionDate_* / TestNormalizeDate_* (spec §3.2, with R3)', () => {
  it.each([
    ['WithDateAndHour', { date: '20260303', hour: '10' }, '2026-03-03T10'],
    ['DashedDate with hour', { date: '2026-03-03', hour: '10' }, '2026-03-03T10'],
    ['DateOnly (NormalizeDate_Compact)', { date: '20260303' }, '2026-03-03'],
    ['HourWithLeadingZero', { date: '20260303', hour: '03' }, '2026-03-03T03'],
    ['HourWithLeadingZero 07', { date: '20260303', hour: '07' }, '2026-03-03T07'],
    ['NormalizeDate_AlreadyNormalized', { date: '2026-03-03' }, '2026-03-03'],
    ['hour as a whole number (R3)', { date: '2026-03-03', hour: 7 }, '2026-03-03T07'],
    ['NoFields — today in the schedule zone', { complete: true }, '2026-03-05'],
    ['no date, with an hour — that hour today', { hour: '04' }, '2026-03-05T04'],
    ['TestSensor_PerHour_DateOnly', { date: '2026-03-05' }, '2026-03-05'],
  ])('%s', (_name, data, period) => {
    expect(resolve(data)).toEqual(Either.right(period))
  })

  it('TestSensor_PerHour_NoDate — today is judged in the schedule zone, not UTC (R3)', () => {
    expect(resolve({}, 'America/Los_Angeles')).toEqual(Either.right('2026-03-04'))
    expect(resolve({}, 'Asia/Tokyo')).toEqual(Either.right('2026-03-05'))
  })

  it.each([
    ['InvalidDate — an error naming the field, not today (R3)', { date: 'not-a-date' }, 'date', 'not-a-date'],
    ['2026-02-30 is not a date (R3)', { date: '2026-02-30' }, 'date', '2026-02-30'],
    ['a numeric date is refused (R3: a string)', { date: 20260303 }, 'date', 20260303],
    ['InvalidHour 25 (R3)', { date: '20260303', hour: '25' }, 'hour', '25'],
    ['NonNumericHour (R3)', { date: '20260303', hour: 'ab' }, 'hour', 'ab'],
    ['one-digit hour string (R3: two digits)', { date: '20260303', hour: '7' }, 'hour', '7'],
    ['signed hour (spec §3.2 QUIRK dropped)', { date: '20260303', hour: '+7' }, 'hour', '+7'],
  ])('%s', (_name, data, field, value) => {
    expect(resolve(data)).toEqual(
      Either.left(new InvalidSensorPeriod({ field: field as 'date' | 'hour', value })),
    )
  })

  it('says which field is wrong and how to write it', () => {
    const date = Either.getLeft(resolve({ date: '03/03/2026' }))
    const hour = Either.getLeft(resolve({ date: '2026-03-03', hour: '24' }))
    expect(date._tag === 'Some' && date.value.message).toBe(
      'sensor field "date" is "03/03/2026"; write the execution date as a string YYYY-MM-DD or YYYYMMDD, or leave it out for today',
    )
    expect(hour._tag === 'Some' && hour.value.message).toBe(
      'sensor field "hour" is "24"; write the hour as a two-digit string "00"–"23" or a whole number 0–23, or leave it out for a daily period',
    )
  })
})

describe('§6.10 TestParseExecutionDate (spec §3.6)', () => {
  const period = (text: string) => parseExecutionPeriod(text) as ExecutionPeriod

  it.each([
    ['hourly', '2026-03-03T10', '2026-03-03', 10],
    ['daily', '2026-03-03', '2026-03-03', undefined],
    ['compact_hourly', '20260303T07', '2026-03-03', 7],
  ])('%s', (_name, text, date, hour) => {
    expect(periodDate(period(text))).toBe(date)
    expect(periodHour(period(text))).toBe(hour)
  })

  it.each(['', '2026-03-03T', 'T10', '2026-03-03T7', '2026-03-03T24', '2026-13-01'])(
    'empty or malformed %j is no period',
    (text) => {
      expect(parseExecutionPeriod(text)).toBeUndefined()
    },
  )

  it('writes the compact form', () => {
    expect(compactPeriod(period('2026-03-03T07'))).toBe('20260303T07')
  })
})
