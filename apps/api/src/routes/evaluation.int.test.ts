import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApiHarness, startApiHarness } from '../testing/api-harness.ts'
import { ORDERS_DAILY } from '../testing/fixtures.ts'

let api: ApiHarness
let reader: string
let sensors: string

beforeAll(async () => {
  api = await startApiHarness()
  reader = await api.token('read')
  sensors = await api.token('sensors:write')
  const admin = await api.token('admin')
  await api.request('PUT', '/api/pipelines/orders-daily', {
    token: admin,
    text: ORDERS_DAILY,
    contentType: 'text/yaml',
  })
  await api.request('POST', '/api/pipelines/orders-daily/sensors/orders-count', {
    token: sensors,
    json: { count: 900, date: '2026-03-01' },
  })
})
afterAll(async () => api.close())

describe('evaluate and readiness', () => {
  it("judges the period's stored sensors rule by rule and records nothing", async () => {
    const before = await api.eventCount()
    const answer = await api.request('POST', '/api/pipelines/orders-daily/evaluate?period=2026-03-01', {
      token: reader,
    })
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({
      pipelineId: 'orders-daily',
      scheduleId: 'default',
      period: '2026-03-01',
      evaluatedAt: '2026-03-04T10:00:00.000Z',
      passed: false,
      results: [
        { key: 'orders-landed', check: 'equals', passed: false },
        { key: 'orders-count', check: 'gte', field: 'count', passed: false },
      ],
    })
    expect(await api.eventCount()).toBe(before)
  })

  it('answers readiness for today when no period is given, and passes once the sensors do', async () => {
    for (const [key, data] of [
      ['orders-count', { count: 1500 }],
      ['orders-landed', { status: 'COMPLETE' }],
    ] as const) {
      await api.request('POST', `/api/pipelines/orders-daily/sensors/${key}`, { token: sensors, json: data })
    }
    const answer = await api.request('GET', '/api/pipelines/orders-daily/readiness', { token: reader })
    expect(answer.body).toMatchObject({ period: '2026-03-04', passed: true })
  })

  it('names the query field of an invalid period or schedule, and 404s an unknown pipeline', async () => {
    const period = await api.request('GET', '/api/pipelines/orders-daily/readiness?period=yesterday', {
      token: reader,
    })
    expect(period).toMatchObject({ status: 400, body: { errors: [{ in: 'query', path: 'period' }] } })
    const schedule = await api.request('GET', '/api/pipelines/orders-daily/readiness?schedule=nightly', {
      token: reader,
    })
    expect(schedule).toMatchObject({
      status: 400,
      body: {
        errors: [{ in: 'query', path: 'schedule', message: "name one of the pipeline's schedules: default" }],
      },
    })
    const unknown = await api.request('GET', '/api/pipelines/nowhere/readiness', { token: reader })
    expect(unknown.status).toBe(404)
  })
})

describe('POST /api/pipelines/{id}/run', () => {
  it('answers 501 with a problem saying the run decider has no such command, storing nothing', async () => {
    const writer = await api.token('pipelines:write')
    const before = await api.eventCount()
    const answer = await api.request('POST', '/api/pipelines/orders-daily/run', { token: writer })
    expect(answer.status).toBe(501)
    expect(answer.body).toMatchObject({
      type: 'urn:interlock:problem:run-now-not-supported',
      status: 501,
      detail:
        "Running orders-daily on demand is not supported yet: the run decider has no command that starts a period's attempt now only if its trigger condition and rules pass. Push the trigger sensor (POST /api/pipelines/orders-daily/sensors/{key}) to start a run, or POST /api/pipelines/orders-daily/evaluate to see whether the rules pass.",
    })
    expect(await api.eventCount()).toBe(before)
    expect((await api.request('POST', '/api/pipelines/nowhere/run', { token: writer })).status).toBe(404)
    expect((await api.request('POST', '/api/pipelines/orders-daily/run', { token: reader })).status).toBe(403)
  })
})
