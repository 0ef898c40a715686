import { describe, expect, it } from 'vitest'
import { CircuitBreaker } from './circuit-breaker.ts'

const breaker = () => new CircuitBreaker({ threshold: 3, openMs: 60_000 })

describe('circuit breaker of a sink', () => {
  it('admits whole batches while closed, a success resetting the failure count', () => {
    const subject = breaker()
    subject.failed(0)
    subject.failed(0)
    subject.succeeded()
    subject.failed(0)
    subject.failed(0)
    expect(subject.admits(0, 10)).toBe(10)
    expect(subject.reopensAt()).toBeUndefined()
  })

  it('opens after the threshold of consecutive failures and admits nothing until the open time is over', () => {
    const subject = breaker()
    for (let failure = 0; failure < 3; failure++) subject.failed(1_000)
    expect(subject.reopensAt()).toBe(61_000)
    expect(subject.admits(60_999, 10)).toBe(0)
  })

  it('lets one trial through after the open time: a success closes it, a failure opens it again', () => {
    const subject = breaker()
    for (let failure = 0; failure < 3; failure++) subject.failed(0)
    expect(subject.admits(60_000, 10)).toBe(1)
    subject.failed(60_000)
    expect(subject.admits(60_001, 10)).toBe(0)
    expect(subject.reopensAt()).toBe(120_000)
    expect(subject.admits(120_000, 10)).toBe(1)
    subject.succeeded()
    expect(subject.admits(120_001, 10)).toBe(10)
  })
})
