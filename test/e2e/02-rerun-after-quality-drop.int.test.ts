// Seed 000, scenario 2 "Re-run After Data Quality Drop": the record count regresses to 800 while the
// other checks hold, so the run stays not ready and no job starts; when the count is restored to 1200
// the next evaluation passes and exactly one DAG run is started and polled to success.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeAirflow, startFakeAirflow } from '../src/index.ts'
import { type Interlock, startInterlock } from './harness/interlock.ts'
import { sensorTablePipeline } from './harness/pipelines.ts'

const ID = 'orders-quality'
const DAY = '2026-03-02'
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

it('holds the run while the count is 800 and runs the job once after it is restored to 1200', async () => {
  await interlock.register(ID, sensorTablePipeline(ID, airflow.url))

  // Round 1: freshness and upstream pass, the count has dropped to 800.
  await interlock.sensor(ID, 'freshness', { lag: 30, date: DAY })
  await interlock.sensor(ID, 'record-count', { count: 800, date: DAY })
  await interlock.sensor(ID, 'upstream-check', { complete: true, date: DAY })
  await interlock.advance('10m')
  expect(await interlock.events(ID)).toEqual([])
  expect(dagRunStarts()).toEqual([])
  const held = await interlock.call('GET', `/api/pipelines/${ID}/runs/${DAY}/explain`)
  expect((held.body as { text: string }).text).toContain('record-count.count gte 1000 (actual 800)')
  expect((await interlock.run(ID, DAY)).attempts).toMatchObject([{ evaluations: 3, evaluationPassed: false }])

  // Round 2 (06:10): the count is restored; the 06:15 evaluation passes and the DAG runs.
  await interlock.sensor(ID, 'record-count', { count: 1200, date: DAY })
  await interlock.advance('5m')
  await interlock.advance('2m')

  expect((await interlock.events(ID)).map((event) => [event.type, event.message, event.occurredAt])).toEqual([
    ['VALIDATION_PASSED', 'all validation rules passed', '2026-03-02T06:15:00.000Z'],
    ['JOB_TRIGGERED', 'triggered airflow job', '2026-03-02T06:15:00.000Z'],
    ['JOB_COMPLETED', `job completed for ${ID}`, '2026-03-02T06:17:00.000Z'],
  ])
  const log = await interlock.run(ID, DAY)
  expect(log.run).toMatchObject({ status: 'succeeded', attemptCount: 1 })
  expect(log.attempts).toMatchObject([
    { status: 'succeeded', evaluations: 4, evaluationPassed: true, triggerTries: 1 },
  ])
  expect(dagRunStarts()).toHaveLength(1)
  expect((await interlock.alerts()).map((alert) => alert.type)).toEqual(['JOB_COMPLETED'])
  const passed = await interlock.call('GET', `/api/pipelines/${ID}/runs/${DAY}/explain`)
  expect((passed.body as { text: string }).text).toContain('record-count.count gte 1000 (actual 1200)')
})
