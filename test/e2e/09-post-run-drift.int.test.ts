// Seed 001 "Post-Run Monitoring / Drift Detection" (AWS demo scenario 9, monitoring): after the job
// succeeds the post-run baseline is captured; a later post-run reading that moves the count by more than
// the threshold is drift: POST_RUN_DRIFT and DATA_DRIFT are published and alerted, a data-drift rerun is
// accepted and exactly one new DAG run starts. A reading within the threshold is not drift.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeAirflow, startFakeAirflow } from '../src/index.ts'
import { type Interlock, startInterlock } from './harness/interlock.ts'
import { sensorTablePipeline } from './harness/pipelines.ts'

const ID = 'orders-monitored'
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

const POST_RUN = `postRun:
  rules:
    - { key: output-row-count, check: gte, field: count, value: 1000 }
  driftField: count
  driftThreshold: 10
`
const dagRunStarts = () => airflow.requests.filter((request) => request.method === 'POST')

it('detects drift after completion and reruns the job once', async () => {
  await interlock.register(ID, sensorTablePipeline(ID, airflow.url, POST_RUN))
  await interlock.sensor(ID, 'freshness', { lag: 1, date: DAY })
  await interlock.sensor(ID, 'record-count', { count: 1500, date: DAY })
  await interlock.sensor(ID, 'output-row-count', { count: 1500, date: DAY })
  await interlock.sensor(ID, 'upstream-check', { complete: true, date: DAY })
  await interlock.advance('3m')
  expect(await interlock.eventTypes(ID)).toEqual([
    'VALIDATION_PASSED',
    'JOB_TRIGGERED',
    'JOB_COMPLETED',
    'POST_RUN_BASELINE_CAPTURED',
  ])

  // Within the threshold (1500 → 1505): not drift; the post-run rules pass, nothing is rerun.
  const steady = await interlock.sensor(ID, 'output-row-count', { count: 1505, date: DAY })
  expect(steady.body).toMatchObject({
    runs: [{ events: expect.not.arrayContaining(['PostRunDriftDetected']) }],
  })
  await interlock.advance('1m')
  expect(dagRunStarts()).toHaveLength(1)

  // 1500 → 1200 at 06:04: drift; a data-drift rerun starts a second attempt.
  await interlock.sensor(ID, 'output-row-count', { count: 1200, date: DAY })
  await interlock.advance('3m')

  const events = await interlock.events(ID)
  expect(events.map((event) => [event.type, event.occurredAt])).toEqual([
    ['VALIDATION_PASSED', '2026-03-02T06:00:00.000Z'],
    ['JOB_TRIGGERED', '2026-03-02T06:00:00.000Z'],
    ['JOB_COMPLETED', '2026-03-02T06:02:00.000Z'],
    ['POST_RUN_BASELINE_CAPTURED', '2026-03-02T06:02:00.000Z'],
    ['POST_RUN_PASSED', '2026-03-02T06:03:00.000Z'],
    ['POST_RUN_DRIFT', '2026-03-02T06:04:00.000Z'],
    ['DATA_DRIFT', '2026-03-02T06:04:00.000Z'],
    ['RERUN_ACCEPTED', '2026-03-02T06:04:00.000Z'],
    ['VALIDATION_PASSED', '2026-03-02T06:04:00.000Z'],
    ['JOB_TRIGGERED', '2026-03-02T06:04:00.000Z'],
    ['JOB_COMPLETED', '2026-03-02T06:06:00.000Z'],
    ['POST_RUN_BASELINE_CAPTURED', '2026-03-02T06:06:00.000Z'],
  ])
  expect(events.find((event) => event.type === 'POST_RUN_DRIFT')).toMatchObject({
    message: `post-run drift detected for ${ID}: 1500 → 1200 records`,
    detail: {
      previousCount: 1500,
      currentCount: 1200,
      delta: -300,
      driftThreshold: 10,
      driftField: 'count',
      sensorKey: 'output-row-count',
    },
  })
  expect(events.find((event) => event.type === 'RERUN_ACCEPTED')?.message).toBe(
    `rerun accepted for ${ID} (reason: data-drift)`,
  )
  const log = await interlock.run(ID, DAY)
  expect(
    log.attempts.map((attempt) => [
      attempt.attemptNumber,
      attempt.cause,
      attempt.rerunReason,
      attempt.status,
    ]),
  ).toEqual([
    [1, 'sensor', null, 'succeeded'],
    [2, 'rerun', 'data-drift', 'succeeded'],
  ])
  expect(dagRunStarts()).toHaveLength(2)
  expect((await interlock.alerts()).map((alert) => [alert.type, alert.severity])).toEqual([
    ['JOB_COMPLETED', 'info'],
    ['POST_RUN_DRIFT', 'info'],
    ['DATA_DRIFT', 'critical'],
    ['RERUN_ACCEPTED', 'info'],
    ['JOB_COMPLETED', 'info'],
  ])
})
