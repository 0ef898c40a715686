import { describe, expect, it } from 'vitest'
import { parseRfc3339, parseTimestamp } from './timestamp.ts'

describe('parseTimestamp (R5)', () => {
  it.each([
    ['RFC 3339 UTC', '2026-03-01T12:00:00Z', Date.parse('2026-03-01T12:00:00Z')],
    ['RFC 3339 with offset', '2026-03-10T10:00:00+02:00', Date.parse('2026-03-10T08:00:00Z')],
    ['RFC 3339 with fraction', '2026-03-01T12:00:00.123456789Z', Date.parse('2026-03-01T12:00:00.123Z')],
    ['epoch seconds', 1_772_366_400, 1_772_366_400_000],
    ['epoch milliseconds', 1_772_366_400_000, 1_772_366_400_000],
    ['epoch seconds as a string', '2000000001', 2_000_000_001_000],
    ['year 1', '0001-01-01T00:00:00Z', Date.parse('0001-01-01T00:00:00Z')],
  ])('reads %s', (_name, value, millis) => {
    expect(parseTimestamp(value)).toBe(millis)
  })

  it.each([
    '2026-03-01t12:00:00z',
    '2026-03-01T12:00Z',
    '2026-03-01T12:00:00',
    '2026-03-01T12:00:00+0530',
    '2026-02-29T00:00:00Z',
    '2026-03-01T24:00:00Z',
    '2026-03-01T12:00:60Z',
    '2026-03-01T12:00:00.Z',
    ' 2026-03-01T12:00:00Z',
    'not-a-timestamp',
  ])('refuses %j', (text) => {
    expect(parseRfc3339(text)).toBeUndefined()
    expect(parseTimestamp(text)).toBeUndefined()
  })

  it('refuses booleans, null, objects and non-finite numbers', () => {
    for (const value of [true, null, {}, [], Number.POSITIVE_INFINITY, Number.NaN]) {
      expect(parseTimestamp(value)).toBeUndefined()
    }
  })
})
