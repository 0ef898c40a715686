import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApiHarness, startApiHarness } from '../testing/api-harness.ts'
import { CLICKSTREAM_HOURLY, INVALID_CONFIG, ORDERS_DAILY } from '../testing/fixtures.ts'

let api: ApiHarness
let writer: string
let reader: string

beforeAll(async () => {
  api = await startApiHarness()
  writer = await api.token('pipelines:write')
  reader = await api.token('read')
})
afterAll(async () => api.close())

const put = (id: string, text: string, contentType = 'application/yaml') =>
  api.request('PUT', `/api/pipelines/${id}`, { token: writer, text, contentType })

describe('PUT /api/pipelines/{id}', () => {
  it('registers a YAML config as version 1, and the same content again as no new version', async () => {
    const first = await put('orders-daily', ORDERS_DAILY)
    expect(first.status).toBe(201)
    expect(first.body).toEqual({ pipelineId: 'orders-daily', version: 1, changed: true })
    const again = await put('orders-daily', ORDERS_DAILY)
    expect(again.status).toBe(200)
    expect(again.body).toEqual({ pipelineId: 'orders-daily', version: 1, changed: false })
  })

  it('accepts the config as JSON and answers a changed config with the next version', async () => {
    const get = await api.request('GET', '/api/pipelines/orders-daily', { token: reader })
    const config = (get.body as { config: { pipeline: Record<string, unknown> } }).config
    const changed = { ...config, pipeline: { ...config.pipeline, owner: 'finance' } }
    const answer = await api.request('PUT', '/api/pipelines/orders-daily', { token: writer, json: changed })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ pipelineId: 'orders-daily', version: 2, changed: true })
  })

  it('reports every problem of an invalid config at once and stores nothing', async () => {
    const before = await api.eventCount()
    const answer = await put('broken-daily', INVALID_CONFIG)
    expect(answer.status).toBe(400)
    expect(answer.headers.get('content-type')).toBe('application/problem+json')
    expect(answer.body).toMatchObject({
      type: 'urn:interlock:problem:config-invalid',
      title: 'Invalid config',
      status: 400,
      errors: [
        { in: 'body', path: 'pipeline.ownr', message: 'unknown key "ownr"; did you mean "owner"?' },
        {
          in: 'body',
          path: 'schedule.evaluation.interval',
          message:
            '"soon" is not a duration: "soon" does not start with a number (examples: 500ms, 90s, 5m, 1h30m)',
        },
        {
          in: 'body',
          path: 'job.max_retries',
          message: 'unknown key "max_retries"; did you mean "maxRetries"?',
        },
      ],
    })
    expect(await api.eventCount()).toBe(before)
  })

  it('refuses a config whose pipeline.id is not the id in the path', async () => {
    const answer = await put('someone-else', ORDERS_DAILY)
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({
      detail:
        'The config names pipeline orders-daily but was sent to pipeline someone-else; send it to pipeline-orders-daily.',
      errors: [{ in: 'body', path: 'pipeline.id' }],
    })
  })

  it('names the path parameter when the id is not a pipeline id', async () => {
    const answer = await put('bad%20id', ORDERS_DAILY)
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({
      errors: [
        {
          in: 'path',
          path: 'id',
          message: '"bad id" is not a pipeline id; use 1–128 letters, digits, dots, underscores or hyphens',
        },
      ],
    })
  })

  it('refuses a body that is neither JSON nor YAML by its Content-Type', async () => {
    const answer = await put('orders-daily', ORDERS_DAILY, 'text/html')
    expect(answer.status).toBe(415)
    expect(answer.body).toMatchObject({ errors: [{ in: 'header', path: 'Content-Type' }] })
  })

  it('answers YAML with an unresolved alias with 400, not 500 (found by the write-route fuzz)', async () => {
    const before = await api.eventCount()
    const answer = await put('orders-daily', 'pipeline: *missing\n')
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({
      type: 'urn:interlock:problem:config-invalid',
      errors: [{ in: 'body', path: '' }],
    })
    expect(await api.eventCount()).toBe(before)
  })

  it('answers a config with text the log cannot store (a YAML \\0) with 400 naming where, not 500', async () => {
    const before = await api.eventCount()
    const yaml = ORDERS_DAILY.replace('orders-daily', 'orders-nul').replace(
      'owner: data-platform',
      'owner: "data\\0team"',
    )
    const answer = await put('orders-nul', yaml)
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({
      type: 'urn:interlock:problem:config-invalid',
      errors: [{ in: 'body', path: 'pipeline.owner', message: expect.stringContaining('NUL character') }],
    })
    expect(await api.eventCount()).toBe(before)
  })

  it('answers malformed JSON with 400 and the parser reason', async () => {
    const answer = await put('orders-daily', '{"pipeline": ', 'application/json')
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({
      type: 'urn:interlock:problem:malformed-json',
      errors: [{ in: 'body', path: '' }],
    })
  })
})

describe('GET, pause, resume and DELETE /api/pipelines/{id}', () => {
  it('answers the config, version and status', async () => {
    await put('clickstream-hourly', CLICKSTREAM_HOURLY)
    const answer = await api.request('GET', '/api/pipelines/clickstream-hourly', { token: reader })
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({
      pipelineId: 'clickstream-hourly',
      version: 1,
      status: 'active',
      monitoringSince: '2026-03-04T10:00:00.000Z',
      config: { pipeline: { id: 'clickstream-hourly' }, job: { type: 'command' } },
    })
  })

  it('pauses with a reason and resumes; a second pause changes nothing', async () => {
    const pause = () =>
      api.request('POST', '/api/pipelines/clickstream-hourly/pause', {
        token: writer,
        json: { reason: 'backfill' },
      })
    expect((await pause()).body).toEqual({
      pipelineId: 'clickstream-hourly',
      status: 'paused',
      changed: true,
    })
    expect((await pause()).body).toEqual({
      pipelineId: 'clickstream-hourly',
      status: 'paused',
      changed: false,
    })
    const read = await api.request('GET', '/api/pipelines/clickstream-hourly', { token: reader })
    expect(read.body).toMatchObject({ status: 'paused' })
    const resume = await api.request('POST', '/api/pipelines/clickstream-hourly/resume', { token: writer })
    expect(resume.body).toEqual({ pipelineId: 'clickstream-hourly', status: 'active', changed: true })
  })

  it('rejects an unknown field in the pause body', async () => {
    const answer = await api.request('POST', '/api/pipelines/clickstream-hourly/pause', {
      token: writer,
      json: { reasn: 'x' },
    })
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({
      errors: [{ in: 'body', path: 'reasn', message: 'unknown key "reasn"; did you mean "reason"?' }],
    })
  })

  it('removes a pipeline, after which it is not found', async () => {
    const removed = await api.request('DELETE', '/api/pipelines/clickstream-hourly', { token: writer })
    expect(removed.body).toEqual({ pipelineId: 'clickstream-hourly', status: 'removed', changed: true })
    const read = await api.request('GET', '/api/pipelines/clickstream-hourly', { token: reader })
    expect(read.status).toBe(404)
    expect(read.body).toMatchObject({
      detail: 'There is no pipeline "clickstream-hourly"; check the id in the path.',
      errors: [{ in: 'path', path: 'id' }],
    })
  })

  it('answers 404 to pause, resume and delete of a pipeline never registered, storing nothing', async () => {
    const before = await api.eventCount()
    for (const [method, path] of [
      ['POST', '/api/pipelines/nowhere/pause'],
      ['POST', '/api/pipelines/nowhere/resume'],
      ['DELETE', '/api/pipelines/nowhere'],
    ] as const) {
      expect((await api.request(method, path, { token: writer })).status).toBe(404)
    }
    expect(await api.eventCount()).toBe(before)
  })
})
