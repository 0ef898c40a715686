// Issue #11, shadow mode: a stricter candidate config registered beside the live one receives the same
// sensor readings, records only SHADOW_* observations (a dry run: no job, no alert, no read model touched),
// and its diff names the period where it would have held the job the live config started. Promotion makes
// it the live config version; discarding a shadow that is gone changes nothing.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeAirflow, startFakeAirflow } from '../src/index.ts'
import { type Interlock, startInterlock } from './harness/interlock.ts'
import { sensorTablePipeline } from './harness/pipelines.ts'

const ID = 'orders-shadowed'
let interlock: Interlock
let airflow: FakeAirflow
let live: string

beforeAll(async () => {
  airflow = await startFakeAirflow()
  interlock = await startInterlock()
  live = sensorTablePipeline(ID, airflow.url)
  await interlock.register(ID, live)
})
afterAll(async () => {
  await interlock?.close()
  await airflow?.close()
})

const dagRunStarts = () => airflow.requests.filter((request) => request.method === 'POST')

it('observes beside the live config, reports where it disagreed (single and batched readings), and becomes live when promoted', async () => {
  const stricter = live.replace('value: 1000', 'value: 1400')
  const put = await interlock.call('PUT', `/api/pipelines/${ID}/shadow`, stricter, 'application/yaml')
  expect(put).toEqual({ status: 200, body: { pipelineId: ID, outcome: 'registered', liveVersion: 1 } })

  for (const [date, count] of [
    ['2026-03-02', 1500],
    ['2026-03-03', 1100],
  ] as const) {
    await interlock.sensor(ID, 'freshness', { lag: 10, date })
    await interlock.sensor(ID, 'record-count', { count, date })
    await interlock.sensor(ID, 'upstream-check', { complete: true, date })
    await interlock.advance('5m')
  }
  // A batch of readings reaches the shadow too.
  const batch = await interlock.call('POST', '/api/sensors', {
    readings: [
      { pipelineId: ID, key: 'freshness', data: { lag: 10, date: '2026-03-04' } },
      { pipelineId: ID, key: 'record-count', data: { count: 1300, date: '2026-03-04' } },
      { pipelineId: ID, key: 'upstream-check', data: { complete: true, date: '2026-03-04' } },
    ],
  })
  expect(batch.status).toBe(200)
  await interlock.advance('5m')
  // The live config ran every period; the shadow started nothing and alerted nothing.
  expect(dagRunStarts()).toHaveLength(3)
  expect((await interlock.run(ID, '2026-03-03')).run.status).toBe('succeeded')
  const types = await interlock.eventTypes(ID)
  expect(types.filter((type) => type.startsWith('SHADOW_') || type.startsWith('DRY_RUN_'))).toEqual([])
  expect((await interlock.alerts()).filter((alert) => alert.type.startsWith('DRY_RUN_'))).toEqual([])

  const diff = await interlock.call('GET', `/api/pipelines/${ID}/shadow/diff`)
  expect(diff.status).toBe(200)
  expect(diff.body).toMatchObject({
    pipelineId: ID,
    summary: { periods: 3, disagreeing: 2 },
    periods: [
      {
        period: '2026-03-02',
        live: { outcome: 'succeeded', excluded: false },
        shadow: { outcome: 'would-trigger', excluded: false },
        observations: ['SHADOW_WOULD_TRIGGER', 'SHADOW_COMPLETED'],
        disagreements: [],
      },
      {
        period: '2026-03-03',
        live: { outcome: 'succeeded' },
        shadow: { triggeredAt: null, outcome: 'not-triggered' },
        observations: [],
        disagreements: ['triggered'],
      },
      { period: '2026-03-04', shadow: { triggeredAt: null }, disagreements: ['triggered'] },
    ],
  })

  const promoted = await interlock.call('POST', `/api/pipelines/${ID}/shadow/promote`)
  expect(promoted).toEqual({ status: 200, body: { pipelineId: ID, outcome: 'promoted', liveVersion: 2 } })
  const pipeline = await interlock.call('GET', `/api/pipelines/${ID}`)
  expect(pipeline.body).toMatchObject({
    version: 2,
    config: { validation: { rules: [{}, { value: 1400 }, {}] } },
  })
  expect((await interlock.call('GET', `/api/pipelines/${ID}/shadow`)).status).toBe(404)
  expect(await interlock.call('DELETE', `/api/pipelines/${ID}/shadow`)).toEqual({
    status: 200,
    body: { pipelineId: ID, outcome: 'unchanged', liveVersion: 2 },
  })
  expect((await interlock.call('POST', `/api/pipelines/${ID}/shadow/promote`)).status).toBe(404)
})
