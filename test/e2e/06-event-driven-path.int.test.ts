// Seed 000, scenario 6 "Stream-Router Integration": one sensor write is the whole trigger. Writing the
// trigger sensor (whose reading also satisfies every rule) opens the run and starts the attempt in the
// write's own answer; without moving the clock, the evaluation passes and the DAG run is started; one
// minute of polling later the job completes. No schedule, no cron, no second start.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeAirflow, startFakeAirflow } from '../src/index.ts'
import { type Interlock, startInterlock } from './harness/interlock.ts'

const ID = 'raw-orders'
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

const yaml = (url: string) => `
pipeline:
  id: ${ID}
schedule:
  timezone: UTC
  trigger: { key: raw-orders-landed, check: equals, field: status, value: COMPLETE }
  evaluation: { window: 30m, interval: 2m }
validation:
  rules:
    - { key: raw-orders-landed, check: equals, field: status, value: COMPLETE }
    - { key: raw-orders-landed, check: gte, field: count, value: 1 }
job:
  type: airflow
  config: { url: "${url}", dagId: raw_orders }
`

it('starts the run from a single sensor write and runs the job once', async () => {
  await interlock.register(ID, yaml(airflow.url))
  const write = await interlock.sensor(ID, 'raw-orders-landed', { status: 'COMPLETE', count: 42, date: DAY })
  expect(write).toMatchObject({
    status: 201,
    body: {
      runs: [
        {
          period: DAY,
          result: 'recorded',
          events: ['SensorReadingRecorded', 'FirstSensorArrivalRecorded', 'AttemptStarted', 'TimerRequested'],
        },
      ],
    },
  })

  // `by: 0s` moves no time: it only lets the processor react to what was written.
  const settled = await interlock.call('POST', '/api/clock/advance', { by: '0s' })
  expect(settled).toMatchObject({ status: 200, body: { now: '2026-03-02T06:00:00.000Z' } })
  expect((await interlock.events(ID)).map((event) => [event.type, event.occurredAt])).toEqual([
    ['VALIDATION_PASSED', '2026-03-02T06:00:00.000Z'],
    ['JOB_TRIGGERED', '2026-03-02T06:00:00.000Z'],
  ])
  expect(airflow.requests.map((request) => [request.method, request.path])).toEqual([
    ['POST', '/api/v1/dags/raw_orders/dagRuns'],
  ])

  await interlock.advance('2m')
  expect(await interlock.eventTypes(ID)).toEqual(['VALIDATION_PASSED', 'JOB_TRIGGERED', 'JOB_COMPLETED'])
  expect(await interlock.run(ID, DAY)).toMatchObject({
    run: { status: 'succeeded', attemptCount: 1, firstSensorAt: '2026-03-02T06:00:00.000Z' },
    attempts: [
      { cause: 'sensor', sensorKey: 'raw-orders-landed', evaluations: 1, polls: 2, status: 'succeeded' },
    ],
  })
  expect(airflow.requests.filter((request) => request.method === 'POST')).toHaveLength(1)
  expect((await interlock.alerts()).map((alert) => alert.type)).toEqual(['JOB_COMPLETED'])

  // Nothing is scheduled for the pipeline: a day later no other run exists.
  await interlock.advance('24h')
  expect((await interlock.call('GET', `/api/pipelines/${ID}/runs`)).body).toMatchObject({
    items: [{ period: DAY, status: 'succeeded' }],
  })
  expect(airflow.requests.filter((request) => request.method === 'POST')).toHaveLength(1)
})
