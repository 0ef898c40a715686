// Seed 003's circuit breakers, per target host: the Airflow of one pipeline answers 503 five times in a
// row, so its breaker opens; the next trigger try fails fast as TRANSIENT without reaching Airflow, while a
// pipeline on another Airflow triggers as usual. After the 60 s cool-down one probe goes through, Airflow
// has recovered, the job starts and the breaker closes. /api/ready and /metrics show the breaker throughout.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeAirflow, startFakeAirflow, unavailable } from '../src/index.ts'
import { type Interlock, startInterlock } from './harness/interlock.ts'
import { sensorTablePipeline } from './harness/pipelines.ts'

const FAILING = 'orders-breaker'
const HEALTHY = 'clicks-breaker'
let interlock: Interlock
let failing: FakeAirflow
let healthy: FakeAirflow

beforeAll(async () => {
  ;[failing, healthy] = await Promise.all([startFakeAirflow(), startFakeAirflow()])
  interlock = await startInterlock()
  await interlock.register(FAILING, sensorTablePipeline(FAILING, failing.url))
  await interlock.register(HEALTHY, sensorTablePipeline(HEALTHY, healthy.url))
})
afterAll(async () => {
  await interlock?.close()
  await Promise.all([failing?.close(), healthy?.close()])
})

const ready = async (pipelineId: string, day: string) => {
  await interlock.sensor(pipelineId, 'freshness', { lag: 1, date: day })
  await interlock.sensor(pipelineId, 'record-count', { count: 1500, date: day })
  await interlock.sensor(pipelineId, 'upstream-check', { complete: true, date: day })
}
const dagRunStarts = (airflow: FakeAirflow) => airflow.requests.filter((request) => request.method === 'POST')
const breakers = async () =>
  ((await interlock.call('GET', '/api/ready')).body as { circuitBreakers: unknown[] }).circuitBreakers
const metrics = async () => (await interlock.call('GET', '/metrics')).body as string
const triggerErrors = async (pipelineId: string, day: string) => {
  const trace = await interlock.call('GET', `/api/pipelines/${pipelineId}/runs/${day}/explain`)
  return JSON.stringify(trace.body)
}

it('opens the breaker of a host after five failures, fails fast, spares other hosts, and closes after a probe', async () => {
  const host = new URL(failing.url).host
  failing.faults.next('triggerDagRun', ...Array(5).fill(unavailable))

  // Day one: four trigger tries (at 0 s, 30 s, 90 s and 210 s) all answered 503; the run ends.
  await ready(FAILING, '2026-03-01')
  await interlock.advance('5m')
  expect(dagRunStarts(failing)).toHaveLength(4)
  expect(await interlock.eventTypes(FAILING)).toEqual(['VALIDATION_PASSED', 'RETRY_EXHAUSTED'])
  expect(await breakers()).toEqual([{ host, state: 'closed', consecutiveFailures: 4, probeAt: null }])

  // Day two: the fifth 503 opens the breaker.
  await ready(FAILING, '2026-03-02')
  await interlock.advance('1s')
  expect(dagRunStarts(failing)).toHaveLength(5)
  expect(await breakers()).toEqual([
    { host, state: 'open', consecutiveFailures: 5, probeAt: '2026-03-02T06:06:00.000Z' },
  ])
  expect(await metrics()).toContain(`interlock_circuit_breaker_state{host="${host}",state="open"} 1`)
  expect(await metrics()).toContain(`interlock_circuit_breaker_consecutive_failures{host="${host}"} 5`)

  // Another host is not held up.
  await ready(HEALTHY, '2026-03-02')
  await interlock.advance('1s')
  expect(dagRunStarts(healthy)).toHaveLength(1)
  expect(await interlock.eventTypes(HEALTHY)).toEqual(['VALIDATION_PASSED', 'JOB_TRIGGERED'])

  // The second try, 30 s later, fails fast: Airflow is not called.
  await interlock.advance('29s')
  expect(dagRunStarts(failing)).toHaveLength(5)
  expect(await triggerErrors(FAILING, '2026-03-02')).toContain(
    `circuit open: ${host} failed 5 time(s) in a row`,
  )

  // The third try, 60 s after that, is the probe: Airflow has recovered, the job starts, the breaker closes.
  await interlock.advance('60s')
  expect(dagRunStarts(failing)).toHaveLength(6)
  expect(
    (await interlock.events(FAILING))
      .filter((event) => event.period === '2026-03-02')
      .map((event) => event.type),
  ).toEqual(['VALIDATION_PASSED', 'JOB_TRIGGERED'])
  expect(await breakers()).toEqual([])
  expect(await metrics()).not.toContain(`host="${host}"`)
})
