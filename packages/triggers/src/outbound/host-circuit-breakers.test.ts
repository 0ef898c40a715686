import { describe, expect, it } from 'vitest'
import { CircuitOpen, HostCircuitBreakers } from './host-circuit-breakers.ts'

const T0 = Date.parse('2026-03-03T06:00:00Z')

const breakersAt = (clock: { now: number }, threshold = 5) =>
  new HostCircuitBreakers({ threshold, coolDownMs: 60_000, now: () => clock.now })

const failTimes = (breakers: HostCircuitBreakers, host: string, times: number) => {
  for (let call = 0; call < times; call++) {
    breakers.admit(host)
    breakers.failed(host)
  }
}

describe('host circuit breakers, closed', () => {
  it('lets calls through while failures stay below the threshold', () => {
    const breakers = breakersAt({ now: T0 })
    failTimes(breakers, 'airflow.test:8080', 4)
    expect(() => breakers.admit('airflow.test:8080')).not.toThrow()
    expect(breakers.states()).toEqual([
      { host: 'airflow.test:8080', state: 'closed', consecutiveFailures: 4, probeAt: undefined },
    ])
  })

  it('forgets earlier failures once the host answers', () => {
    const breakers = breakersAt({ now: T0 })
    failTimes(breakers, 'airflow.test:8080', 4)
    breakers.succeeded('airflow.test:8080')
    failTimes(breakers, 'airflow.test:8080', 4)
    expect(() => breakers.admit('airflow.test:8080')).not.toThrow()
    expect(breakers.states()[0]?.consecutiveFailures).toBe(4)
  })
})

describe('host circuit breakers, open', () => {
  it('opens after five consecutive failures and fails fast with the host, count and probe time', () => {
    const breakers = breakersAt({ now: T0 })
    failTimes(breakers, 'airflow.test:8080', 5)
    expect(() => breakers.admit('airflow.test:8080')).toThrow(
      new CircuitOpen('airflow.test:8080', 5, T0 + 60_000),
    )
    expect(() => breakers.admit('airflow.test:8080')).toThrow(
      'circuit open: airflow.test:8080 failed 5 time(s) in a row; calls to it fail fast until a probe at ' +
        '2026-03-03T06:01:00.000Z gets an answer',
    )
    expect(breakers.states()).toEqual([
      { host: 'airflow.test:8080', state: 'open', consecutiveFailures: 5, probeAt: T0 + 60_000 },
    ])
  })

  it('never holds up another host', () => {
    const breakers = breakersAt({ now: T0 })
    failTimes(breakers, 'airflow.test:8080', 5)
    expect(() => breakers.admit('databricks.test:443')).not.toThrow()
  })
})

describe('host circuit breakers, half-open', () => {
  it('lets one probe through after the cool-down and refuses others while it is out', () => {
    const clock = { now: T0 }
    const breakers = breakersAt(clock)
    failTimes(breakers, 'airflow.test:8080', 5)
    clock.now = T0 + 60_000
    expect(breakers.states()[0]?.state).toBe('half-open')
    expect(() => breakers.admit('airflow.test:8080')).not.toThrow()
    expect(() => breakers.admit('airflow.test:8080')).toThrow(CircuitOpen)
  })

  it('closes when the probe gets an answer', () => {
    const clock = { now: T0 }
    const breakers = breakersAt(clock)
    failTimes(breakers, 'airflow.test:8080', 5)
    clock.now = T0 + 60_000
    breakers.admit('airflow.test:8080')
    breakers.succeeded('airflow.test:8080')
    expect(breakers.states()).toEqual([])
    expect(() => breakers.admit('airflow.test:8080')).not.toThrow()
  })

  it('opens again for a whole cool-down when the probe fails', () => {
    const clock = { now: T0 }
    const breakers = breakersAt(clock)
    failTimes(breakers, 'airflow.test:8080', 5)
    clock.now = T0 + 61_000
    breakers.admit('airflow.test:8080')
    breakers.failed('airflow.test:8080')
    expect(breakers.states()).toEqual([
      { host: 'airflow.test:8080', state: 'open', consecutiveFailures: 6, probeAt: T0 + 121_000 },
    ])
  })

  it('lets another probe go when the first was cancelled without a verdict', () => {
    const clock = { now: T0 }
    const breakers = breakersAt(clock)
    failTimes(breakers, 'airflow.test:8080', 5)
    clock.now = T0 + 60_000
    breakers.admit('airflow.test:8080')
    breakers.released('airflow.test:8080')
    expect(() => breakers.admit('airflow.test:8080')).not.toThrow()
  })
})

it('refuses a threshold that is not a whole number of at least 1', () => {
  expect(() => new HostCircuitBreakers({ threshold: 0 })).toThrow(
    'circuit breaker threshold is 0: expected a whole number ≥ 1',
  )
})
