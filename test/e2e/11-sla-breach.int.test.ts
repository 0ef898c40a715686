// Seed 001 "SLA Tracking" (AWS demo scenario 11, SLA breach): yesterday's data arrives at 06:00 and its
// run must finish by 07:00 (a sensor-triggered daily period is due the day after, L4) with 30 minutes
// expected. The DAG run takes until 07:20: SLA_WARNING at 06:30 and SLA_BREACH at 07:00 are published
// and alerted while the job runs, the job still completes, and neither SLA_MET nor a second SLA_BREACH
// follows (one fact, one event: L9).
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeAirflow, startFakeAirflow } from '../src/index.ts'
import { type Interlock, startInterlock } from './harness/interlock.ts'
import { sensorTablePipeline } from './harness/pipelines.ts'

const ID = 'orders-sla'
const DAY = '2026-03-01'
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

const SLA = `sla:
  deadline: "07:00"
  expectedDuration: 30m
  timezone: UTC
`

it('warns and breaches while the job runs late, and never reports the SLA as met', async () => {
  // 80 polls of one minute: running until 07:20, then success.
  airflow.runs.next({ states: [...Array.from({ length: 79 }, () => 'running' as const), 'success'] })
  const yaml = sensorTablePipeline(ID, airflow.url, SLA).replace(
    'dagId: orders_sla }',
    'dagId: orders_sla }\n  jobPollWindowSeconds: 7200',
  )
  await interlock.register(ID, yaml)
  await interlock.sensor(ID, 'freshness', { lag: 1, date: DAY })
  await interlock.sensor(ID, 'record-count', { count: 1500, date: DAY })
  await interlock.sensor(ID, 'upstream-check', { complete: true, date: DAY })
  await interlock.advance('2h')

  const events = (await interlock.events(ID)).filter((event) => event.period === DAY)
  expect(events.map((event) => [event.type, event.occurredAt])).toEqual([
    ['VALIDATION_PASSED', '2026-03-02T06:00:00.000Z'],
    ['JOB_TRIGGERED', '2026-03-02T06:00:00.000Z'],
    ['SLA_WARNING', '2026-03-02T06:30:00.000Z'],
    ['SLA_BREACH', '2026-03-02T07:00:00.000Z'],
    // The completion's verdict is a breach already announced at 07:00: no second SLA_BREACH (L9), no SLA_MET.
    ['JOB_COMPLETED', '2026-03-02T07:20:00.000Z'],
  ])
  expect(events.find((event) => event.type === 'SLA_WARNING')).toMatchObject({
    message: `pipeline ${ID}: SLA_WARNING`,
    detail: { source: 'schedule', status: 'RUNNING', breachAt: '2026-03-02T07:00:00.000Z' },
  })
  expect(events.find((event) => event.type === 'SLA_BREACH')).toMatchObject({
    message: `pipeline ${ID}: SLA_BREACH`,
    detail: {
      source: 'schedule',
      status: 'RUNNING',
      breachAt: '2026-03-02T07:00:00.000Z',
      deadline: '07:00',
    },
  })
  const log = await interlock.run(ID, DAY)
  expect(log.run).toMatchObject({
    status: 'succeeded',
    sla: { warningAt: '2026-03-02T06:30:00.000Z', breachAt: '2026-03-02T07:00:00.000Z', status: 'breached' },
  })
  expect(airflow.requests.filter((request) => request.method === 'POST')).toHaveLength(1)
  const alerts = (await interlock.alerts()).filter((alert) => alert.period === DAY)
  expect(alerts.map((alert) => [alert.type, alert.severity])).toEqual([
    ['SLA_WARNING', 'warning'],
    ['SLA_BREACH', 'critical'],
    ['JOB_COMPLETED', 'info'],
  ])
})
