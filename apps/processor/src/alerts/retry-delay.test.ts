import { describe, expect, it } from 'vitest'
import { retryAfterMs, retryDelayMs } from './retry-delay.ts'

const policy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 10_000 }

describe('retry delay', () => {
  it('doubles from the base delay with each failure, up to the maximum', () => {
    expect([1, 2, 3, 4, 5].map((failures) => retryDelayMs(policy, failures))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000,
    ])
  })

  it('waits at least what the service asked for, but never past the maximum', () => {
    expect(retryDelayMs(policy, 1, 3_000)).toBe(3_000)
    expect(retryDelayMs(policy, 3, 3_000)).toBe(4_000)
    expect(retryDelayMs(policy, 1, 60_000)).toBe(10_000)
  })

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-03-01T06:00:00Z')
    expect(retryAfterMs('30', now)).toBe(30_000)
    expect(retryAfterMs(['2'], now)).toBe(2_000)
    expect(retryAfterMs('Sun, 01 Mar 2026 06:00:05 GMT', now)).toBe(5_000)
    expect(retryAfterMs('soon', now)).toBeUndefined()
    expect(retryAfterMs(undefined, now)).toBeUndefined()
  })
})
