import { type FakeAirflow, startFakeAirflow, unavailable } from '@interlock/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeAirflowTrigger } from '../airflow/airflow-trigger.ts'
import { dailyRun, run, runError } from '../test-support.ts'
import { interlockEnvironment } from '../text/env-expansion.ts'
import { parseAllowList } from './address-policy.ts'
import { CircuitOpen } from './host-circuit-breakers.ts'
import { makeOutboundHttp, type OutboundHttp } from './outbound-http.ts'

// The per-host breaker in the outbound client, against the fake Airflow's REST API: one host fails five
// times, then recovers; another host is never held up.
const T0 = Date.parse('2026-03-03T06:00:00Z')
const clock = { now: T0 }
let failing: FakeAirflow
let healthy: FakeAirflow
let http: OutboundHttp

beforeAll(async () => {
  ;[failing, healthy] = await Promise.all([startFakeAirflow(), startFakeAirflow()])
  http = makeOutboundHttp({
    allowPrivateTargets: parseAllowList('127.0.0.1').ranges,
    circuitBreaker: { threshold: 5, coolDownMs: 60_000, now: () => clock.now },
  })
})
afterAll(async () => {
  await http.close()
  await Promise.all([failing.close(), healthy.close()])
})

const trigger = () => makeAirflowTrigger({ http, environment: interlockEnvironment({}) })
const hostOf = (server: FakeAirflow) => new URL(server.url).host

describe('circuit breaker per target host', () => {
  it('opens after five failures, fails fast as TRANSIENT, then closes on a probe once the host recovers', async () => {
    failing.faults.next('triggerDagRun', ...Array(5).fill(unavailable))
    for (let call = 0; call < 5; call++) {
      const error = await runError(trigger().start({ url: failing.url, dagId: 'orders_daily' }, dailyRun))
      expect(error.category).toBe('TRANSIENT')
      expect(error.message).toContain('503')
    }
    expect(failing.requests).toHaveLength(5)

    const fast = await runError(trigger().start({ url: failing.url, dagId: 'orders_daily' }, dailyRun))
    expect(fast.category).toBe('TRANSIENT')
    expect(fast.message).toContain(new CircuitOpen(hostOf(failing), 5, T0 + 60_000).message)
    expect(failing.requests).toHaveLength(5)
    expect(http.circuits()).toEqual([
      { host: hostOf(failing), state: 'open', consecutiveFailures: 5, probeAt: T0 + 60_000 },
    ])

    // Another host is not held up by the open breaker.
    const other = await run(trigger().start({ url: healthy.url, dagId: 'orders_daily' }, dailyRun))
    expect(other.externalRunId).toMatch(/^manual__/)

    clock.now = T0 + 60_000
    expect(http.circuits()[0]?.state).toBe('half-open')
    const probe = await run(trigger().start({ url: failing.url, dagId: 'orders_daily' }, dailyRun))
    expect(probe.externalRunId).toMatch(/^manual__/)
    expect(failing.requests).toHaveLength(6)
    expect(http.circuits()).toEqual([])
  })

  it('does not count a refusal of the request (4xx) as the host failing', async () => {
    failing.faults.next('triggerDagRun', ...Array(6).fill({ ...unavailable, status: 400 }))
    for (let call = 0; call < 6; call++) {
      const error = await runError(trigger().start({ url: failing.url, dagId: 'orders_daily' }, dailyRun))
      expect(error.category).toBe('PERMANENT')
    }
    expect(http.circuits()).toEqual([])
  })
})
