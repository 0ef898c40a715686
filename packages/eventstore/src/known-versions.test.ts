import { describe, expect, it } from 'vitest'
import { GrowthSteps, KnownVersions } from './known-versions.ts'

describe('KnownVersions', () => {
  it('knows every stream reached 0, and a recorded stream every version up to the highest recorded', () => {
    const known = new KnownVersions(10)
    expect(known.reached('s', 0)).toBe(true)
    expect(known.reached('s', 1)).toBe(false)
    known.record('s', 5)
    known.record('s', 3)
    expect([known.reached('s', 5), known.reached('s', 4), known.reached('s', 6)]).toEqual([true, true, false])
  })

  it('forgets the stream recorded first beyond its capacity', () => {
    const known = new KnownVersions(2)
    known.record('a', 1)
    known.record('b', 1)
    known.record('a', 2)
    known.record('c', 1)
    expect([known.reached('a', 1), known.reached('b', 1), known.reached('c', 1)]).toEqual([false, true, true])
    expect(known.size).toBe(2)
  })

  it('remembers nothing at capacity 0, and nothing after clear', () => {
    const none = new KnownVersions(0)
    none.record('a', 1)
    expect(none.reached('a', 1)).toBe(false)
    const known = new KnownVersions(5)
    known.record('a', 1)
    known.clear()
    expect(known.reached('a', 1)).toBe(false)
  })
})

describe('GrowthSteps', () => {
  it('counts only steps passed after the first value seen, once each', () => {
    const steps = new GrowthSteps([64n, 256n, 1_024n])
    expect([100n, 200n, 256n, 300n, 5_000n, 9_000n].map((value) => steps.passed(value))).toEqual([
      false,
      false,
      true,
      false,
      true,
      false,
    ])
  })

  it('never fires for a value first seen beyond every step (an old log)', () => {
    const steps = new GrowthSteps([64n, 256n])
    expect([70_000n, 80_000n, 1_000_000n].map((value) => steps.passed(value))).toEqual([false, false, false])
  })
})
