// Seed 000, scenario 4 "Excluded Day": a pipeline whose calendar excludes weekends gets its trigger
// sensor on Saturday; the run is recorded as excluded (PIPELINE_EXCLUDED, alerted), no attempt starts,
// nothing is evaluated and no job is ever started, however far time moves.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeAirflow, startFakeAirflow } from '../src/index.ts'
import { type Interlock, startInterlock } from './harness/interlock.ts'
import { sensorTablePipeline } from './harness/pipelines.ts'

const ID = 'orders-weekdays'
const SATURDAY = '2026-03-07'
let interlock: Interlock
let airflow: FakeAirflow

beforeAll(async () => {
  airflow = await startFakeAirflow()
  interlock = await startInterlock({ start: '2026-03-07T06:00:00Z' })
})
afterAll(async () => {
  await interlock?.close()
  await airflow?.close()
})

it('suppresses the sensor trigger on an excluded day and starts nothing', async () => {
  const yaml = sensorTablePipeline(ID, airflow.url).replace(
    'timezone: UTC',
    'timezone: UTC\n  exclude: { weekends: true }',
  )
  await interlock.register(ID, yaml)
  await interlock.sensor(ID, 'freshness', { lag: 1, date: SATURDAY })
  await interlock.sensor(ID, 'record-count', { count: 5000, date: SATURDAY })
  const trigger = await interlock.sensor(ID, 'upstream-check', { complete: true, date: SATURDAY })
  expect(trigger.body).toMatchObject({
    runs: [{ period: SATURDAY, events: ['SensorReadingRecorded', 'TriggerExcluded'] }],
  })
  await interlock.advance('2h')

  expect((await interlock.events(ID)).map((event) => [event.type, event.period, event.message])).toEqual([
    [
      'PIPELINE_EXCLUDED',
      SATURDAY,
      `sensor trigger suppressed for ${ID}: execution date ${SATURDAY} excluded by calendar`,
    ],
  ])
  expect(await interlock.run(ID, SATURDAY)).toMatchObject({
    run: { status: 'excluded', attemptCount: 0, currentAttemptId: null, startedAt: null },
    attempts: [],
  })
  expect(airflow.requests).toEqual([])
  expect((await interlock.alerts()).map((alert) => [alert.type, alert.severity, alert.period])).toEqual([
    ['PIPELINE_EXCLUDED', 'info', SATURDAY],
  ])
})
