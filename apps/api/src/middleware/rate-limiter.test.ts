import { describe, expect, it } from 'vitest'
import { RateLimiter } from './rate-limiter.ts'

describe('RateLimiter', () => {
  it('allows the burst at once, then refuses with the seconds until the next request fits', () => {
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 })
    expect([0, 0, 0].map((at) => limiter.take('a', at).allowed)).toEqual([true, true, true])
    expect(limiter.take('a', 0)).toEqual({ allowed: false, retryAfterSeconds: 1 })
  })

  it('refills at the sustained rate and never beyond the burst', () => {
    const limiter = new RateLimiter({ perSecond: 2, burst: 2 })
    limiter.take('a', 0)
    limiter.take('a', 0)
    expect(limiter.take('a', 499).allowed).toBe(false)
    expect(limiter.take('a', 1_000).allowed).toBe(true)
    expect([60_000, 60_000, 60_000].map((at) => limiter.take('a', at).allowed)).toEqual([true, true, false])
  })

  it('keeps one bucket per key', () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 1 })
    expect(limiter.take('a', 0).allowed).toBe(true)
    expect(limiter.take('a', 0).allowed).toBe(false)
    expect(limiter.take('b', 0).allowed).toBe(true)
  })

  it('rounds the wait up to whole seconds for a slow rate', () => {
    const limiter = new RateLimiter({ perSecond: 0.1, burst: 1 })
    limiter.take('a', 0)
    expect(limiter.take('a', 0)).toEqual({ allowed: false, retryAfterSeconds: 10 })
  })
})
