// Seed 000, scenario 1 "Progressive Readiness": the run is held while the sensors improve round by round
// (all three checks fail, then one of three passes, then all pass), and only the third round starts the
// job — exactly one DAG run, polled to success, the run log showing the four evaluations it took.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeAirflow, startFakeAirflow } from '../src/index.ts'
import { type Interlock, startInterlock } from './harness/interlock.ts'
import { sensorTablePipeline } from './harness/pipelines.ts'

const ID = 'orders-progressive'
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

it('holds the run while the sensors improve, and starts the job once when all three checks pass', async () => {
  await interlock.register(ID, sensorTablePipeline(ID, airflow.url))

  // Round 1: lag=300, count=500, upstream=false — all three fail; the upstream write opens the run.
  await interlock.sensor(ID, 'freshness', { lag: 300, date: DAY })
  await interlock.sensor(ID, 'record-count', { count: 500, date: DAY })
  await interlock.sensor(ID, 'upstream-check', { complete: false, date: DAY })
  await interlock.advance('1s')
  expect(await interlock.events(ID)).toEqual([])
  expect((await interlock.run(ID, DAY)).attempts).toMatchObject([
    {
      attemptNumber: 1,
      cause: 'sensor',
      sensorKey: 'upstream-check',
      evaluations: 1,
      evaluationPassed: false,
    },
  ])
  const round1 = await interlock.call('POST', `/api/pipelines/${ID}/evaluate`, { period: DAY })
  expect(round1.body).toMatchObject({ passed: false })

  // Round 2 (06:05): lag=30 — one of three passes; still not ready.
  await interlock.advance('5m')
  await interlock.sensor(ID, 'freshness', { lag: 30, date: DAY })
  await interlock.advance('5m')
  expect(await interlock.events(ID)).toEqual([])
  expect((await interlock.run(ID, DAY)).attempts).toMatchObject([{ evaluations: 3, evaluationPassed: false }])
  expect(dagRunStarts()).toEqual([])

  // Round 3 (06:10): count=1500, upstream=true — all pass at the 06:15 evaluation; the DAG runs and succeeds.
  await interlock.sensor(ID, 'record-count', { count: 1500, date: DAY })
  await interlock.sensor(ID, 'upstream-check', { complete: true, date: DAY })
  await interlock.advance('5m')
  await interlock.advance('2m')

  const events = await interlock.events(ID)
  expect(events.map((event) => [event.type, event.period, event.message, event.occurredAt])).toEqual([
    ['VALIDATION_PASSED', DAY, 'all validation rules passed', '2026-03-02T06:15:00.000Z'],
    ['JOB_TRIGGERED', DAY, 'triggered airflow job', '2026-03-02T06:15:00.000Z'],
    ['JOB_COMPLETED', DAY, `job completed for ${ID}`, '2026-03-02T06:17:00.000Z'],
  ])
  const log = await interlock.run(ID, DAY)
  expect(log.run).toMatchObject({ status: 'succeeded', attemptCount: 1, rerunCount: 0 })
  expect(log.attempts).toMatchObject([
    {
      attemptId: `${ID}/default/${DAY}/1`,
      status: 'succeeded',
      jobType: 'airflow',
      evaluations: 4,
      evaluationPassed: true,
      triggerTries: 1,
      polls: 2,
      jobStartedAt: '2026-03-02T06:15:00.000Z',
    },
  ])
  expect(dagRunStarts().map((request) => request.path)).toEqual(['/api/v1/dags/orders_progressive/dagRuns'])
  expect((await interlock.alerts()).map((alert) => [alert.type, alert.severity, alert.period])).toEqual([
    ['JOB_COMPLETED', 'info', DAY],
  ])

  // What must not happen: the window running out later changes nothing, and no second job starts.
  await interlock.advance('2h')
  expect(await interlock.eventTypes(ID)).toEqual(['VALIDATION_PASSED', 'JOB_TRIGGERED', 'JOB_COMPLETED'])
  expect(dagRunStarts()).toHaveLength(1)
  expect(await interlock.alerts()).toHaveLength(1)
})
