import { attemptIdFor } from '@interlock/domain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApiHarness, startApiHarness } from '../testing/api-harness.ts'
import { ORDERS_DAILY } from '../testing/fixtures.ts'

// The harness has no reactor: the job start is reported with the command the trigger runner sends.
let api: ApiHarness
let writer: string
const run = { pipelineId: 'orders-daily', scheduleId: 'default', period: '2026-03-02' }
const attemptId = attemptIdFor(run, 1)

beforeAll(async () => {
  api = await startApiHarness()
  writer = await api.token('sensors:write')
  const admin = await api.token('admin')
  await api.request('PUT', '/api/pipelines/orders-daily', {
    token: admin,
    text: ORDERS_DAILY,
    contentType: 'text/yaml',
  })
  for (const [key, data] of [
    ['orders-count', { count: 1500, date: '2026-03-02' }],
    ['orders-landed', { status: 'COMPLETE', date: '2026-03-02' }],
  ] as const) {
    await api.request('POST', `/api/pipelines/orders-daily/sensors/${key}`, { token: writer, json: data })
  }
})
afterAll(async () => api.close())

const complete = (body: unknown, id: string = attemptId) =>
  api.request('POST', `/api/runs/${encodeURIComponent(id)}/complete`, { token: writer, json: body })

describe('POST /api/runs/{attemptId}/complete', () => {
  it('answers 409 while the job start is not recorded yet, storing nothing', async () => {
    const before = await api.eventCount()
    const early = await complete({ status: 'success' })
    expect(early).toMatchObject({
      status: 409,
      body: {
        type: 'urn:interlock:problem:job-not-started-yet',
        detail: `The job of attempt ${attemptId} reported an outcome before its start was recorded; deliver the outcome again after RecordJobStarted.`,
      },
    })
    expect(await api.eventCount()).toBe(before)
  })

  it("records the job's success for its attempt", async () => {
    // What the evaluation timer and the trigger runner would send.
    await api.bus.runCommand(run, { _tag: 'EvaluateRun', attemptId, evaluationNumber: 1 }, { actor: 'timer' })
    const started = await api.bus.runCommand(
      run,
      {
        _tag: 'RecordJobStarted',
        attemptId,
        triggerTry: 1,
        jobType: 'airflow',
        runId: 'dag-run-7',
        metadata: {},
        synchronous: false,
      },
      { actor: 'trigger' },
    )
    expect(started).toMatchObject({ _tag: 'Accepted' })
    expect(started._tag === 'Accepted' && started.events.map((event) => event._tag)).toEqual([
      'JobStarted',
      'TimerRequested',
    ])
    const answer = await complete({ status: 'success', runId: 'dag-run-7' })
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ scheduleId: 'default', period: '2026-03-02', result: 'recorded' })
    expect((answer.body as { events: string[] }).events).toContain('JobSucceeded')
  })

  it('refuses an unknown status, naming the field and the allowed values', async () => {
    const answer = await complete({ status: 'done' })
    expect(answer).toMatchObject({
      status: 400,
      body: {
        errors: [
          {
            in: 'body',
            path: 'status',
            message: 'must be one of "success", "failed", "timeout"; got "done"',
          },
        ],
      },
    })
  })

  it('answers 404 for an attempt of an unknown pipeline', async () => {
    const answer = await complete({ status: 'failed' }, 'nowhere/default/2026-03-02/1')
    expect(answer).toMatchObject({ status: 404, body: { type: 'urn:interlock:problem:pipeline-not-found' } })
  })
})

describe('POST /api/runs/{attemptId}/heartbeat', () => {
  const period = { ...run, period: '2026-03-03' }
  const live = attemptIdFor(period, 1)
  /** `token` '' sends none. */
  const heartbeat = (id: string, token: string = writer) =>
    api.request('POST', `/api/runs/${encodeURIComponent(id)}/heartbeat`, token === '' ? {} : { token })

  it('answers 409 before the job start is recorded, then records each heartbeat of the live attempt', async () => {
    for (const [key, data] of [
      ['orders-count', { count: 1500, date: '2026-03-03' }],
      ['orders-landed', { status: 'COMPLETE', date: '2026-03-03' }],
    ] as const) {
      await api.request('POST', `/api/pipelines/orders-daily/sensors/${key}`, { token: writer, json: data })
    }
    const before = await api.eventCount()
    expect(await heartbeat(live)).toMatchObject({
      status: 409,
      body: {
        type: 'urn:interlock:problem:job-not-started-yet',
        detail: `The job of attempt ${live} sent a heartbeat before its start was recorded; send it again once the start is recorded.`,
      },
    })
    expect(await api.eventCount()).toBe(before)
    await api.bus.runCommand(
      period,
      { _tag: 'EvaluateRun', attemptId: live, evaluationNumber: 1 },
      { actor: 'timer' },
    )
    await api.bus.runCommand(
      period,
      {
        _tag: 'RecordJobStarted',
        attemptId: live,
        triggerTry: 1,
        jobType: 'step-function',
        runId: 'arn:aws:states:execution:email:1',
        metadata: {},
        synchronous: false,
      },
      { actor: 'trigger' },
    )
    const first = await heartbeat(live)
    expect(first).toMatchObject({
      status: 200,
      body: {
        scheduleId: 'default',
        period: '2026-03-03',
        result: 'recorded',
        events: ['JobHeartbeatRecorded'],
      },
    })
    expect((await heartbeat(live)).body).toMatchObject({
      result: 'recorded',
      events: ['JobHeartbeatRecorded'],
    })
  })

  it('needs sensors:write, and answers 404 for an attempt that never existed', async () => {
    expect((await heartbeat(live, '')).status).toBe(401)
    expect((await heartbeat(live, await api.token('read'))).status).toBe(403)
    const unknown = await heartbeat(attemptIdFor(period, 9))
    expect(unknown).toMatchObject({ status: 404, body: { type: 'urn:interlock:problem:attempt-not-found' } })
    const badId = await heartbeat('not-an-attempt')
    expect(badId).toMatchObject({ status: 400, body: { errors: [{ in: 'path', path: 'attemptId' }] } })
  })
})
