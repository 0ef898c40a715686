// Seed 001 "Replay (Re-run Completed Pipelines)" (AWS demo scenario 10, replay): a completed run is
// re-run on request after its input changed (a newer `updatedAt`), bypassing the usual one-run-per-period
// rule: the rerun is accepted as attempt 2, exactly one new DAG run starts and succeeds, and the explain
// of the period tells the whole story; the manual budget (1) then refuses a third run.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeAirflow, startFakeAirflow } from '../src/index.ts'
import { type Interlock, startInterlock } from './harness/interlock.ts'
import { sensorTablePipeline } from './harness/pipelines.ts'

const ID = 'orders-replay'
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

it('replays a completed run once on request, and explains both attempts', async () => {
  const before = Date.parse('2026-03-02T05:00:00Z')
  await interlock.register(ID, sensorTablePipeline(ID, airflow.url))
  await interlock.sensor(ID, 'freshness', { lag: 1, updatedAt: before, date: DAY })
  await interlock.sensor(ID, 'record-count', { count: 1500, updatedAt: before, date: DAY })
  await interlock.sensor(ID, 'upstream-check', { complete: true, updatedAt: before, date: DAY })
  await interlock.advance('10m')
  expect(await interlock.eventTypes(ID)).toEqual(['VALIDATION_PASSED', 'JOB_TRIGGERED', 'JOB_COMPLETED'])

  // 06:10: the data is fixed upstream (a newer reading), then the replay is requested.
  await interlock.sensor(ID, 'record-count', {
    count: 1700,
    updatedAt: Date.parse('2026-03-02T06:10:00Z'),
    date: DAY,
  })
  const rerun = await interlock.call('POST', `/api/pipelines/${ID}/reruns`, {
    period: DAY,
    reason: 'data quality fix',
    requestId: 'replay-1',
  })
  expect(rerun).toMatchObject({
    status: 202,
    body: {
      decision: 'accepted',
      why: `accepted as attempt ${ID}/default/${DAY}/2 (0 of 1 reruns used before)`,
    },
  })
  await interlock.advance('3m')

  expect((await interlock.events(ID)).map((event) => [event.type, event.message, event.attemptId])).toEqual([
    ['VALIDATION_PASSED', 'all validation rules passed', `${ID}/default/${DAY}/1`],
    ['JOB_TRIGGERED', 'triggered airflow job', `${ID}/default/${DAY}/1`],
    ['JOB_COMPLETED', `job completed for ${ID}`, `${ID}/default/${DAY}/1`],
    ['RERUN_ACCEPTED', `rerun accepted for ${ID} (reason: data quality fix)`, `${ID}/default/${DAY}/2`],
    ['VALIDATION_PASSED', 'all validation rules passed', `${ID}/default/${DAY}/2`],
    ['JOB_TRIGGERED', 'triggered airflow job', `${ID}/default/${DAY}/2`],
    ['JOB_COMPLETED', `job completed for ${ID}`, `${ID}/default/${DAY}/2`],
  ])
  const log = await interlock.run(ID, DAY)
  expect(log.run).toMatchObject({ status: 'succeeded', attemptCount: 2, rerunCount: 1 })
  expect(
    log.attempts.map((attempt) => [
      attempt.attemptNumber,
      attempt.cause,
      attempt.rerunReason,
      attempt.status,
    ]),
  ).toEqual([
    [1, 'sensor', null, 'succeeded'],
    [2, 'rerun', 'data quality fix', 'succeeded'],
  ])
  expect(dagRunStarts()).toHaveLength(2)

  const explain = await interlock.call('GET', `/api/pipelines/${ID}/runs/${DAY}/explain`)
  expect(explain.status).toBe(200)
  const text = (explain.body as { text: string }).text
  expect(text).toContain('attempt 1 started (sensor)')
  expect(text).toContain('record-count.count gte 1000 (actual 1700)')
  expect(text.indexOf('RERUN_ACCEPTED')).toBeGreaterThan(text.indexOf('JOB_COMPLETED'))

  // The manual budget is spent: another request is refused and starts nothing.
  const third = await interlock.call('POST', `/api/pipelines/${ID}/reruns`, {
    period: DAY,
    reason: 'data quality fix',
    requestId: 'replay-2',
  })
  expect(third).toMatchObject({ status: 202, body: { decision: 'rejected' } })
  await interlock.advance('10m')
  expect(dagRunStarts()).toHaveLength(2)
  expect((await interlock.alerts()).map((alert) => alert.type)).toEqual([
    'JOB_COMPLETED',
    'RERUN_ACCEPTED',
    'JOB_COMPLETED',
    'RERUN_REJECTED',
  ])
})
