// Seed 000, scenario 3 "Already Completed (Dedup)": once a period has a run, further trigger writes do
// not open a second attempt (one DAG run only), and after it has succeeded a rerun request over
// unchanged sensors (every `updatedAt` older than the success) is rejected by the circuit breaker without
// evaluating or starting anything; repeating the same request id answers `duplicate`.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeAirflow, startFakeAirflow } from '../src/index.ts'
import { type Interlock, startInterlock } from './harness/interlock.ts'
import { sensorTablePipeline } from './harness/pipelines.ts'

const ID = 'orders-dedup'
const DAY = '2026-03-02'
const UPDATED_AT = Date.parse('2026-03-02T05:30:00Z')
let interlock: Interlock
let airflow: FakeAirflow

beforeAll(async () => {
  airflow = await startFakeAirflow()
  interlock = await startInterlock()
})
afterAll(async () => {
  await interlock?.close()
  await airflow?.close()
})

const dagRunStarts = () => airflow.requests.filter((request) => request.method === 'POST')

it('runs a period once, and rejects a rerun of the completed run while nothing changed', async () => {
  await interlock.register(ID, sensorTablePipeline(ID, airflow.url))
  await interlock.sensor(ID, 'freshness', { lag: 1, updatedAt: UPDATED_AT, date: DAY })
  await interlock.sensor(ID, 'record-count', { count: 1500, updatedAt: UPDATED_AT, date: DAY })
  await interlock.sensor(ID, 'upstream-check', { complete: true, updatedAt: UPDATED_AT, date: DAY })
  // The same trigger write again while the run is open: recorded, nothing else.
  const repeat = await interlock.sensor(ID, 'upstream-check', {
    complete: true,
    updatedAt: UPDATED_AT,
    date: DAY,
  })
  expect(repeat.body).toMatchObject({ runs: [{ period: DAY, events: ['SensorReadingRecorded'] }] })
  await interlock.advance('3m')
  expect(await interlock.eventTypes(ID)).toEqual(['VALIDATION_PASSED', 'JOB_TRIGGERED', 'JOB_COMPLETED'])

  const rerun = await interlock.call('POST', `/api/pipelines/${ID}/reruns`, {
    period: DAY,
    reason: 'manual',
    requestId: 'ops-1',
  })
  expect(rerun).toMatchObject({ status: 202, body: { decision: 'rejected' } })
  const again = await interlock.call('POST', `/api/pipelines/${ID}/reruns`, {
    period: DAY,
    requestId: 'ops-1',
  })
  expect(again).toMatchObject({ status: 202, body: { decision: 'duplicate' } })
  await interlock.advance('1h')

  expect((await interlock.events(ID)).map((event) => [event.type, event.message])).toEqual([
    ['VALIDATION_PASSED', 'all validation rules passed'],
    ['JOB_TRIGGERED', 'triggered airflow job'],
    ['JOB_COMPLETED', `job completed for ${ID}`],
    ['RERUN_REJECTED', `rerun rejected for ${ID}: previous run succeeded and no sensor data has changed`],
  ])
  expect(await interlock.run(ID, DAY)).toMatchObject({
    run: { status: 'succeeded', attemptCount: 1, rerunCount: 0 },
    attempts: [{ attemptNumber: 1, cause: 'sensor', status: 'succeeded', evaluations: 1 }],
  })
  expect(dagRunStarts()).toHaveLength(1)
  expect((await interlock.alerts()).map((alert) => alert.type)).toEqual(['JOB_COMPLETED', 'RERUN_REJECTED'])
})
