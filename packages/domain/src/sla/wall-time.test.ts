import fc from 'fast-check'
import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import { localDate, wallTimeToInstant } from './wall-time.ts'

// Zones with DST in either hemisphere, a half-hour DST shift (Lord Howe) and a :45 offset (Kathmandu).
const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'America/Sao_Paulo',
  'Asia/Kathmandu',
] as const

const FROM = Date.UTC(2020, 0, 1)
const TO = Date.UTC(2031, 0, 1)

describe('wall time with remembered offsets', () => {
  it('gives every instant the local date luxon gives it, around transitions too, however often asked', () => {
    fc.assert(
      fc.property(fc.integer({ min: FROM, max: TO }), fc.constantFrom(...ZONES), (instant, zone) => {
        const expected = DateTime.fromMillis(instant, { zone }).toISODate()
        // Twice: the second answer comes from what the first remembered.
        expect(localDate(instant, zone)).toBe(expected)
        expect(localDate(instant, zone)).toBe(expected)
      }),
      { numRuns: 3_000 },
    )
  })

  it('maps a wall time that exists once to the instant whose local time it is, cached or not', () => {
    fc.assert(
      fc.property(fc.integer({ min: FROM, max: TO }), fc.constantFrom(...ZONES), (instant, zone) => {
        const local = DateTime.fromMillis(instant, { zone }).startOf('minute')
        const date = local.toISODate()!
        const first = wallTimeToInstant(date, local.hour, local.minute, zone)
        const again = wallTimeToInstant(date, local.hour, local.minute, zone)
        expect(again).toBe(first)
        // The local time of the answer is the wall time asked (skipped times move forward, so only
        // compare where the wall time exists; the first occurrence wins in a repeated hour).
        const back = DateTime.fromMillis(first, { zone })
        expect([back.toISODate(), back.hour, back.minute]).toEqual([date, local.hour, local.minute])
        expect(first).toBeLessThanOrEqual(local.toMillis())
      }),
      { numRuns: 3_000 },
    )
  })

  it('resolves the New York transitions: a skipped time moves forward, a repeated one takes its first occurrence', () => {
    expect(new Date(wallTimeToInstant('2026-03-08', 2, 30, 'America/New_York')).toISOString()).toBe(
      '2026-03-08T07:30:00.000Z',
    )
    expect(new Date(wallTimeToInstant('2026-11-01', 1, 30, 'America/New_York')).toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    )
  })
})
