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
  // No trigger: only run-now (or a cron) opens its periods, so a sensor push alone starts nothing.
  const MANUAL = `
pipeline: { id: manual-orders }
validation:
  rules:
    - { key: orders-count, check: gte, field: count, value: 1000 }
job:
  type: command
  config: { command: "echo done" }
`
  it('not ready: 200 with the blocking rules, the evaluation recorded and no attempt started', async () => {
    const admin = await api.token('admin')
    await api.request('PUT', '/api/pipelines/manual-orders', {
      token: admin,
      text: MANUAL,
      contentType: 'text/yaml',
    })
    await api.request('POST', '/api/pipelines/manual-orders/sensors/orders-count', {
      token: sensors,
      json: { count: 900 },
    })
    const writer = await api.token('pipelines:write')
    const answer = await api.request('POST', '/api/pipelines/manual-orders/run?requestId=first', {
      token: writer,
    })
    expect(answer).toMatchObject({
      status: 200,
      body: {
        pipelineId: 'manual-orders',
        scheduleId: 'default',
        period: '2026-03-04',
        requestId: 'first',
        decision: 'not-ready',
        passed: false,
        blocking: [{ key: 'orders-count', reason: expect.stringContaining('900') }],
        run: { result: 'recorded', events: ['RunNowEvaluated'] },
      },
    })
    const again = await api.request('POST', '/api/pipelines/manual-orders/run?requestId=first', {
      token: writer,
    })
    expect(again.body).toMatchObject({ decision: 'duplicate', run: { result: 'duplicate' } })
  })

  it('ready: 202 with the attempt it started; a second run of the period is a 409 naming the live run', async () => {
    const writer = await api.token('pipelines:write')
    await api.request('POST', '/api/pipelines/manual-orders/sensors/orders-count', {
      token: sensors,
      json: { count: 1500 },
    })
    const answer = await api.request('POST', '/api/pipelines/manual-orders/run', { token: writer })
    expect(answer).toMatchObject({
      status: 202,
      body: {
        decision: 'triggered',
        attemptId: 'manual-orders/default/2026-03-04/1',
        passed: true,
        blocking: [],
        run: { events: ['RunNowEvaluated', 'AttemptStarted', 'TimerRequested'] },
      },
    })
    const before = await api.eventCount()
    const twice = await api.request('POST', '/api/pipelines/manual-orders/run', { token: writer })
    expect(twice).toMatchObject({
      status: 409,
      body: {
        type: 'urn:interlock:problem:run-already-started',
        detail: expect.stringContaining('run-manual-orders-default-2026-03-04'),
      },
    })
    expect(await api.eventCount()).toBe(before)
  })

  it('ready, readiness-only: 202 with decision ready and the attempt, which ends with no job', async () => {
    const admin = await api.token('admin')
    await api.request('PUT', '/api/pipelines/orders-check', {
      token: admin,
      text: MANUAL.replace('manual-orders', 'orders-check').replace(
        /job:\n {2}type: command\n {2}config: .*\n/,
        'job: { type: none }\n',
      ),
      contentType: 'text/yaml',
    })
    await api.request('POST', '/api/pipelines/orders-check/sensors/orders-count', {
      token: sensors,
      json: { count: 1500 },
    })
    const answer = await api.request('POST', '/api/pipelines/orders-check/run', {
      token: await api.token('pipelines:write'),
    })
    expect(answer).toMatchObject({
      status: 202,
      body: { decision: 'ready', attemptId: 'orders-check/default/2026-03-04/1', passed: true },
    })
  })

  it('404s an unknown pipeline, 400s an unknown schedule, 403s a read-only token', async () => {
    const writer = await api.token('pipelines:write')
    expect((await api.request('POST', '/api/pipelines/nowhere/run', { token: writer })).status).toBe(404)
    const schedule = await api.request('POST', '/api/pipelines/manual-orders/run?schedule=nightly', {
      token: writer,
    })
    expect(schedule).toMatchObject({ status: 400, body: { errors: [{ in: 'query', path: 'schedule' }] } })
    expect((await api.request('POST', '/api/pipelines/manual-orders/run', { token: reader })).status).toBe(
      403,
    )
  })
})
