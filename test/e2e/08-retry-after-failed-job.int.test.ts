// Seed 001 "Retry with Backoff" (AWS demo scenario 8, retry): the first DAG run fails; the failure is
// TRANSIENT and `maxRetries: 1` grants one automatic retry, which starts exactly one new DAG run that
// succeeds. A second failure would exhaust the budget: the run of another day fails twice and ends
// failed with RETRY_EXHAUSTED, after exactly two starts.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeAirflow, startFakeAirflow } from '../src/index.ts'
import { type Interlock, startInterlock } from './harness/interlock.ts'
import { sensorTablePipeline } from './harness/pipelines.ts'

const ID = 'orders-retry'
let interlock: Interlock
let airflow: FakeAirflow

beforeAll(async () => {
  airflow = await startFakeAirflow()
  interlock = await startInterlock()
  await interlock.register(
    ID,
    sensorTablePipeline(ID, airflow.url).replace(
      'dagId: orders_retry }',
      'dagId: orders_retry }\n  maxRetries: 1',
    ),
  )
})
afterAll(async () => {
  await interlock?.close()
  await airflow?.close()
})

const dagRunStarts = () => airflow.requests.filter((request) => request.method === 'POST')
const ready = async (day: string) => {
  await interlock.sensor(ID, 'freshness', { lag: 1, date: day })
  await interlock.sensor(ID, 'record-count', { count: 1500, date: day })
  await interlock.sensor(ID, 'upstream-check', { complete: true, date: day })
}

it('retries a failed job once and completes', async () => {
  airflow.runs.next({ states: ['running', 'failed'] })
  await ready('2026-03-01')
  await interlock.advance('5m')

  const events = (await interlock.events(ID)).filter((event) => event.period === '2026-03-01')
  expect(events.map((event) => [event.type, event.occurredAt])).toEqual([
    ['VALIDATION_PASSED', '2026-03-02T06:00:00.000Z'],
    ['JOB_TRIGGERED', '2026-03-02T06:00:00.000Z'],
    ['JOB_FAILED', '2026-03-02T06:02:00.000Z'],
    ['VALIDATION_PASSED', '2026-03-02T06:02:00.000Z'],
    ['JOB_TRIGGERED', '2026-03-02T06:02:00.000Z'],
    ['JOB_COMPLETED', '2026-03-02T06:04:00.000Z'],
  ])
  const log = await interlock.run(ID, '2026-03-01')
  expect(log.run).toMatchObject({ status: 'succeeded', attemptCount: 2 })
  expect(log.attempts.map((attempt) => [attempt.attemptNumber, attempt.cause, attempt.status])).toEqual([
    [1, 'sensor', 'failed'],
    [2, 'job-retry', 'succeeded'],
  ])
  expect(dagRunStarts()).toHaveLength(2)
  expect((await interlock.alerts()).map((alert) => alert.type)).toEqual(['JOB_FAILED', 'JOB_COMPLETED'])
})

it('ends the run failed with RETRY_EXHAUSTED when the retry fails too', async () => {
  airflow.runs.next({ states: ['running', 'failed'] })
  airflow.runs.next({ states: ['running', 'failed'] })
  await ready('2026-03-02')
  await interlock.advance('1h')

  const events = (await interlock.events(ID)).filter((event) => event.period === '2026-03-02')
  expect(events.map((event) => [event.type, event.message])).toEqual([
    ['VALIDATION_PASSED', 'all validation rules passed'],
    ['JOB_TRIGGERED', 'triggered airflow job'],
    ['JOB_FAILED', expect.stringContaining('job failed: ')],
    ['VALIDATION_PASSED', 'all validation rules passed'],
    ['JOB_TRIGGERED', 'triggered airflow job'],
    ['JOB_FAILED', expect.stringContaining('job failed: ')],
    ['RETRY_EXHAUSTED', `retry limit reached (1/1) for ${ID}`],
  ])
  expect((await interlock.run(ID, '2026-03-02')).run).toMatchObject({ status: 'failed', attemptCount: 2 })
  expect(dagRunStarts()).toHaveLength(4)
  expect(
    (await interlock.alerts()).filter((alert) => alert.period === '2026-03-02').map((alert) => alert.type),
  ).toEqual(['JOB_FAILED', 'JOB_FAILED', 'RETRY_EXHAUSTED'])
})
