import { Schema } from 'effect'
import { describe, expect, it } from 'vitest'
import { CronExpression } from './cron-expression.ts'
import { cronGranularity, nextCronFire, periodOfCronFire, previousCronFire } from './cron-schedule.ts'

const at = (text: string) => Date.parse(text)
const iso = (millis: number | undefined) =>
  millis === undefined ? undefined : new Date(millis).toISOString()

describe('cron next and previous fire in a zone (C4)', () => {
  it.each([
    ['daily in UTC', '0 8 * * *', 'UTC', '2026-03-10T06:00:00Z', '2026-03-10T08:00:00.000Z'],
    ['daily, already past today', '0 8 * * *', 'UTC', '2026-03-10T08:00:00Z', '2026-03-11T08:00:00.000Z'],
    [
      'daily in New York (EDT)',
      '0 8 * * *',
      'America/New_York',
      '2026-06-15T00:00:00Z',
      '2026-06-15T12:00:00.000Z',
    ],
    ['hourly at :05', '5 * * * *', 'UTC', '2026-03-07T14:10:00Z', '2026-03-07T15:05:00.000Z'],
    ['range and step', '*/15 9-10 * * 1-5', 'UTC', '2026-03-06T10:50:00Z', '2026-03-09T09:00:00.000Z'],
    ['list', '0 6,18 * * *', 'Europe/London', '2026-01-10T07:00:00Z', '2026-01-10T18:00:00.000Z'],
  ])('%s: next fire', (_name, cron, zone, after, next) => {
    expect(iso(nextCronFire(cron, zone, at(after)))).toBe(next)
  })

  it('counts a fire exactly at the instant as the previous fire', () => {
    expect(iso(previousCronFire('0 8 * * *', 'UTC', at('2026-03-10T08:00:00Z')))).toBe(
      '2026-03-10T08:00:00.000Z',
    )
    expect(iso(previousCronFire('0 8 * * *', 'UTC', at('2026-03-10T07:59:59Z')))).toBe(
      '2026-03-09T08:00:00.000Z',
    )
  })

  it('keeps local time across spring-forward in New York: 08:00 EST then 08:00 EDT', () => {
    expect(iso(nextCronFire('0 8 * * *', 'America/New_York', at('2026-03-07T14:00:00Z')))).toBe(
      '2026-03-08T12:00:00.000Z',
    )
    expect(iso(previousCronFire('0 8 * * *', 'America/New_York', at('2026-03-08T12:30:00Z')))).toBe(
      '2026-03-08T12:00:00.000Z',
    )
    expect(iso(previousCronFire('0 8 * * *', 'America/New_York', at('2026-03-08T11:59:00Z')))).toBe(
      '2026-03-07T13:00:00.000Z',
    )
  })

  it('runs a fire skipped by spring-forward at the end of the gap (New York 02:30 → 03:00 EDT)', () => {
    expect(iso(nextCronFire('30 2 * * *', 'America/New_York', at('2026-03-07T12:00:00Z')))).toBe(
      '2026-03-08T07:00:00.000Z',
    )
  })

  it('runs a repeated fall-back time once (London 01:30 on 2026-10-25)', () => {
    const first = nextCronFire('30 1 * * *', 'Europe/London', at('2026-10-24T12:00:00Z'))
    expect(iso(first)).toBe('2026-10-25T00:30:00.000Z')
    expect(iso(nextCronFire('30 1 * * *', 'Europe/London', first ?? 0))).toBe('2026-10-26T01:30:00.000Z')
  })
})

describe('the period a cron fire opens (C4)', () => {
  it('a daily cron opens the fire’s local date', () => {
    expect(periodOfCronFire('0 2 * * *', 'America/New_York', at('2026-03-10T06:00:00Z'))).toBe('2026-03-10')
    expect(periodOfCronFire('30 23 * * *', 'America/New_York', at('2026-03-11T03:30:00Z'))).toBe('2026-03-10')
  })

  it('an hourly cron opens the hour before the fire (spec §4.5.1: 14:10 → 2026-03-07T13)', () => {
    expect(periodOfCronFire('5 * * * *', 'UTC', at('2026-03-07T14:05:00Z'))).toBe('2026-03-07T13')
    expect(periodOfCronFire('5 * * * *', 'UTC', at('2026-03-08T00:05:00Z'))).toBe('2026-03-07T23')
  })

  it.each([
    ['0 8 * * *', 'daily'],
    ['0 */2 * * *', 'hourly'],
    ['5 * * * *', 'hourly'],
    ['0 6,18 * * *', 'hourly'],
    ['0 8-18 * * 1-5', 'hourly'],
  ])('%s is %s', (cron, granularity) => {
    expect(cronGranularity(cron)).toBe(granularity)
  })
})

describe('CronExpression', () => {
  it.each(['0 8 * * *', '*/15 9-17 * * 1-5', '0 0 1 1 *', '5 * * * *'])('accepts %j', (cron) => {
    expect(Schema.is(CronExpression)(cron)).toBe(true)
  })

  it.each(['0 8 * *', '0 0 8 * * *', '61 * * * *', '* 25 * * *', 'every day'])('refuses %j', (cron) => {
    expect(Schema.is(CronExpression)(cron)).toBe(false)
  })
})
