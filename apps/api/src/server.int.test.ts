import { createTestDatabase, type TestDatabase } from '@interlock/db'
import { instantOf } from '@interlock/domain'
import { type Processor, processorConfig, startProcessor } from '@interlock/processor'
import { allProjections, recordDeadLetter } from '@interlock/projections'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createToken } from './auth/api-token.ts'
import { DEFAULT_API_CONFIG } from './config.ts'
import { type ApiServer, startApi } from './server.ts'

// The API served by startApi on a real processor (simulated clock, projections running): what the
// CLI's `serve` runs. One day of orders-daily whose row count never passes: readings, an attempt that
// evaluates every 5 minutes until its 1 h window is exhausted, its run log, trace and public events.
const ORDERS_DAILY = `
pipeline:
  id: orders-daily
schedule:
  timezone: UTC
  trigger: { key: orders-landed, check: equals, field: status, value: COMPLETE }
  evaluation: { window: 1h, interval: 5m }
validation:
  trigger: ALL
  rules:
    - { key: orders-landed, check: equals, field: status, value: COMPLETE }
    - { key: orders-count, check: gte, field: count, value: 1000 }
job:
  type: command
  config: { command: "true" }
`

const T0 = Date.parse('2026-01-05T06:00:00Z')
let database: TestDatabase
let processor: Processor
let api: ApiServer
let admin: string

beforeAll(async () => {
  database = await createTestDatabase()
  processor = await startProcessor(
    processorConfig(database.url, {
      INTERLOCK_CLOCK: 'simulated',
      INTERLOCK_CLOCK_START: new Date(T0).toISOString(),
    }),
    { projections: allProjections },
  )
  api = await startApi(processor, { ...DEFAULT_API_CONFIG, port: 0, logLevel: 'silent' })
  admin = (await createToken(processor.pool, { name: 'e2e', scopes: ['admin'] })).token
})
afterAll(async () => {
  await api.close()
  await processor.stop()
  await database.drop()
})

async function call(method: string, path: string, body?: unknown, contentType = 'application/json') {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${admin}`,
      ...(body === undefined ? {} : { 'content-type': contentType }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
  return { status: response.status, body: (await response.json()) as unknown }
}

/** Lets the processor react and project what the API appended (advancing the clock settles first). */
const settle = () => call('POST', '/api/clock/advance', { by: '1s' })

describe('the API on a processor with a simulated clock', () => {
  it('answers the clock, and advances it by a duration or to an instant', async () => {
    expect(await call('GET', '/api/clock')).toEqual({
      status: 200,
      body: { mode: 'simulated', now: '2026-01-05T06:00:00.000Z' },
    })
    expect(await call('POST', '/api/clock/advance', { by: '90s' })).toMatchObject({
      status: 200,
      body: { now: '2026-01-05T06:01:30.000Z' },
    })
    expect(await call('POST', '/api/clock/advance', { to: '2026-01-05T06:02:00Z' })).toMatchObject({
      body: { now: '2026-01-05T06:02:00.000Z' },
    })
    const backwards = await call('POST', '/api/clock/advance', { to: '2026-01-01T00:00:00Z' })
    expect(backwards.status).toBe(400)
    expect(backwards.body).toMatchObject({ errors: [{ in: 'body', path: 'to' }] })
  })

  it('shows the runs, run log, trace, latest sensors and public events of an exhausted evaluation', async () => {
    expect((await call('PUT', '/api/pipelines/orders-daily', ORDERS_DAILY, 'application/yaml')).status).toBe(
      201,
    )
    await call('POST', '/api/pipelines/orders-daily/sensors/orders-count', { count: 10, date: '2026-01-05' })
    await call('POST', '/api/pipelines/orders-daily/sensors/orders-landed', {
      status: 'COMPLETE',
      date: '2026-01-05',
    })
    const advanced = await call('POST', '/api/clock/advance', { by: '2h' })
    expect(advanced).toMatchObject({ status: 200, body: { now: '2026-01-05T08:02:00.000Z' } })
    expect((advanced.body as { fired: number }).fired).toBeGreaterThan(5)

    const runs = await call('GET', '/api/pipelines/orders-daily/runs?limit=10')
    expect(runs).toMatchObject({
      status: 200,
      body: {
        items: [
          {
            pipelineId: 'orders-daily',
            scheduleId: 'default',
            period: '2026-01-05',
            status: 'validation_exhausted',
          },
        ],
        nextCursor: null,
      },
    })
    const run = await call('GET', '/api/pipelines/orders-daily/runs/2026-01-05')
    expect(run).toMatchObject({
      status: 200,
      body: {
        run: { status: 'validation_exhausted' },
        attempts: [{ attemptId: 'orders-daily/default/2026-01-05/1' }],
      },
    })
    const explain = await call('GET', '/api/pipelines/orders-daily/runs/2026-01-05/explain')
    expect(explain.status).toBe(200)
    expect((explain.body as { text: string }).text).toContain('orders-count.count gte 1000')
    const sensors = await call('GET', '/api/pipelines/orders-daily/sensors')
    expect(sensors).toMatchObject({
      status: 200,
      body: { items: [{ key: 'orders-count' }, { key: 'orders-landed' }] },
    })
    const events = await call('GET', '/api/events?pipeline=orders-daily&type=VALIDATION_EXHAUSTED')
    expect(events).toMatchObject({
      status: 200,
      body: { items: [{ type: 'VALIDATION_EXHAUSTED', pipelineId: 'orders-daily', period: '2026-01-05' }] },
    })
    const own = await call('GET', '/api/pipelines/orders-daily/events?since=2026-01-05T00:00:00Z')
    expect(own).toMatchObject({
      status: 200,
      body: { items: [{ type: 'VALIDATION_EXHAUSTED' }], nextCursor: null },
    })
  })

  it('pages with the cursor it gave, and refuses one it did not', async () => {
    await call(
      'PUT',
      '/api/pipelines/orders-hourly',
      ORDERS_DAILY.replace('id: orders-daily', 'id: orders-hourly'),
      'text/yaml',
    )
    await settle()
    const first = await call('GET', '/api/pipelines?limit=1')
    expect(first.body).toMatchObject({
      items: [{ pipelineId: 'orders-daily' }],
      nextCursor: expect.any(String),
    })
    const cursor = (first.body as { nextCursor: string }).nextCursor
    const second = await call('GET', `/api/pipelines?limit=1&cursor=${encodeURIComponent(cursor)}`)
    expect(second).toMatchObject({
      status: 200,
      body: { items: [{ pipelineId: 'orders-hourly' }], nextCursor: null },
    })
    const forged = await call('GET', '/api/pipelines/orders-daily/events?cursor=not-ours')
    expect(forged.status).toBe(400)
    expect(forged.body).toMatchObject({ errors: [{ in: 'query', path: 'cursor' }] })
    const tooMany = await call('GET', '/api/pipelines/orders-daily/events?limit=100000')
    expect(tooMany.body).toMatchObject({
      errors: [{ in: 'query', path: 'limit', message: 'limit is a whole number from 1 to 500' }],
    })
  })

  it('decides a rerun with 202, and answers a second request for the same id as a duplicate', async () => {
    const rerun = await call('POST', '/api/pipelines/orders-daily/reruns', {
      period: '2026-01-05',
      reason: 'manual',
      requestId: 'ops-1',
    })
    expect(rerun).toMatchObject({
      status: 202,
      body: {
        pipelineId: 'orders-daily',
        requestId: 'ops-1',
        decision: 'accepted',
        why: 'accepted as attempt orders-daily/default/2026-01-05/2 (0 of 1 reruns used before)',
      },
    })
    const again = await call('POST', '/api/pipelines/orders-daily/reruns', {
      period: '2026-01-05',
      requestId: 'ops-1',
    })
    expect(again).toMatchObject({ status: 202, body: { decision: 'duplicate' } })
    const over = await call('POST', '/api/pipelines/orders-daily/reruns', {
      period: '2026-01-05',
      requestId: 'ops-2',
    })
    expect(over).toMatchObject({
      status: 202,
      body: { decision: 'rejected', why: 'rejected by the manual rerun limit exceeded (1 of 1 used)' },
    })
    await settle()
    const reruns = await call('GET', '/api/pipelines/orders-daily/reruns')
    expect(reruns).toMatchObject({
      status: 200,
      body: {
        items: [
          { requestId: 'ops-2', outcome: 'rejected', why: 'manual rerun limit exceeded' },
          { requestId: 'ops-1', outcome: 'accepted', attemptId: 'orders-daily/default/2026-01-05/2' },
        ],
        nextCursor: null,
      },
    })
    expect((await call('GET', '/api/reruns')).status).toBe(200)
  })

  it('refuses a rerun of an unknown pipeline or an invalid period, storing nothing', async () => {
    const unknown = await call('POST', '/api/pipelines/nowhere/reruns', { period: '2026-01-05' })
    expect(unknown).toMatchObject({ status: 404, body: { errors: [{ in: 'path', path: 'id' }] } })
    const period = await call('POST', '/api/pipelines/orders-daily/reruns', { period: '2026-02-30' })
    expect(period).toMatchObject({ status: 400, body: { errors: [{ in: 'body', path: 'period' }] } })
  })

  it('answers a completion callback for an attempt it never started with 404', async () => {
    const answer = await call(
      'POST',
      `/api/runs/${encodeURIComponent('orders-daily/default/2026-01-05/9')}/complete`,
      {
        status: 'success',
      },
    )
    expect(answer).toMatchObject({ status: 404, body: { type: 'urn:interlock:problem:attempt-not-found' } })
    const malformed = await call('POST', '/api/runs/not-an-attempt/complete', { status: 'success' })
    expect(malformed).toMatchObject({ status: 400, body: { errors: [{ in: 'path', path: 'attemptId' }] } })
  })

  it('lists dead letters and refuses to redrive one of a kind without redrive, with the reason', async () => {
    expect(await call('GET', '/api/dead-letters')).toEqual({
      status: 200,
      body: { items: [], nextCursor: null },
    })
    const letter = await recordDeadLetter(processor.pool, {
      kind: 'job-start',
      key: 'orders-daily/default/2026-01-05/1',
      payload: {},
      error: 'refused',
      attempts: 3,
      failedAt: instantOf(T0),
    })
    const listed = await call('GET', '/api/dead-letters')
    expect(listed).toMatchObject({
      status: 200,
      body: { items: [{ id: letter.id.toString(), kind: 'job-start' }] },
    })
    const refused = await call('POST', `/api/dead-letters/${letter.id}/redrive`)
    expect(refused).toMatchObject({
      status: 409,
      body: {
        type: 'urn:interlock:problem:redrive-refused',
        detail: `dead letter ${letter.id} is of kind job-start, which has no redrive; kinds that do: alert, reaction.`,
        errors: [{ in: 'path', path: 'id' }],
      },
    })
    expect(await call('POST', '/api/dead-letters/999999/redrive')).toMatchObject({ status: 404 })
    const badId = await call('POST', '/api/dead-letters/abc/redrive')
    expect(badId).toMatchObject({ status: 400, body: { errors: [{ in: 'path', path: 'id' }] } })
  })

  it('exposes the log head, jobs by state and timers due in the metrics', async () => {
    const response = await fetch(`${api.url}/metrics`)
    const text = await response.text()
    expect(text).toMatch(/^interlock_events_appended [1-9][0-9]*$/m)
    expect(text).toMatch(/^interlock_jobs\{queue="interlock-timer",state="created"\} [1-9][0-9]*$/m)
    expect(text).toMatch(/^interlock_timers_due 0$/m)
  })

  it('answers readiness with the projections caught up', async () => {
    const ready = await call('GET', '/api/ready')
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready' } })
    expect((ready.body as { projections: unknown[] }).projections.length).toBe(allProjections.length)
  })
})
