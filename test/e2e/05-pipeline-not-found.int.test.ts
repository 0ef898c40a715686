// Seed 000, scenario 5 "Pipeline Not Found": sensors, a rerun and reads for a pipeline that was never
// registered are answered 404 with a problem naming the pipeline and what to do, and nothing is stored:
// no events, no runs, no job started, no alert.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeAirflow, startFakeAirflow } from '../src/index.ts'
import { type Interlock, startInterlock } from './harness/interlock.ts'

const ID = 'orders-missing'
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

it('answers 404 for a pipeline that does not exist and stores nothing', async () => {
  const notRegistered = `Pipeline ${ID} is not registered; register its config first (PUT /api/pipelines/${ID}).`
  const sensor = await interlock.call('POST', `/api/pipelines/${ID}/sensors/upstream-check`, {
    complete: true,
    date: DAY,
  })
  expect(sensor).toMatchObject({
    status: 404,
    body: {
      type: 'urn:interlock:problem:pipeline-not-found',
      detail: notRegistered,
      errors: [{ in: 'path', path: 'id', message: notRegistered }],
    },
  })
  const rerun = await interlock.call('POST', `/api/pipelines/${ID}/reruns`, { period: DAY, reason: 'manual' })
  expect(rerun).toMatchObject({ status: 404, body: { errors: [{ in: 'path', path: 'id' }] } })
  expect((await interlock.call('GET', `/api/pipelines/${ID}`)).status).toBe(404)
  expect((await interlock.call('GET', `/api/pipelines/${ID}/runs/${DAY}/explain`)).status).toBe(404)

  await interlock.advance('1h')
  expect(await interlock.call('GET', '/api/events')).toEqual({
    status: 200,
    body: { items: [], nextCursor: null },
  })
  expect(await interlock.call('GET', `/api/pipelines/${ID}/runs`)).toEqual({
    status: 200,
    body: { items: [], nextCursor: null },
  })
  expect(await interlock.call('GET', '/api/pipelines')).toEqual({
    status: 200,
    body: { items: [], nextCursor: null },
  })
  expect(airflow.requests).toEqual([])
  expect(await interlock.alerts()).toEqual([])
})
