import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { revokeToken } from './auth/api-token.ts'
import { type ApiHarness, startApiHarness } from './testing/api-harness.ts'
import { ORDERS_DAILY } from './testing/fixtures.ts'

let api: ApiHarness

beforeAll(async () => {
  api = await startApiHarness({ rateLimit: { perSecond: 1, burst: 3 } })
})
afterAll(async () => api.close())

const SENSOR = '/api/pipelines/orders-daily/sensors/orders-count'

describe('authentication and scopes', () => {
  const unauthenticated = async (headers: Record<string, string>, detail: string) => {
    const answer = await api.request('POST', SENSOR, { json: { count: 1 }, headers })
    expect(answer.status).toBe(401)
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="interlock"')
    expect(answer.headers.get('content-type')).toBe('application/problem+json')
    expect(answer.body).toEqual({
      type: 'urn:interlock:problem:unauthenticated',
      title: 'Unauthenticated',
      status: 401,
      detail,
      instance: `urn:interlock:request:${answer.headers.get('x-request-id')}`,
      errors: [{ in: 'header', path: 'Authorization', message: detail }],
    })
  }

  it('answers 401 without an Authorization header', () =>
    unauthenticated(
      {},
      'The request has no Authorization header; send "Authorization: Bearer <token>" with a token made by `interlock token create`.',
    ))

  it('answers 401 to an Authorization header that is not a bearer token', () =>
    unauthenticated(
      { authorization: 'Basic dXNlcjpwYXNz' },
      'The Authorization header is not of the form "Bearer <token>"; send the token after the word Bearer and one space.',
    ))

  it('answers 401 to an unknown token', () =>
    unauthenticated(
      { authorization: 'Bearer ilk_not-a-real-token' },
      'The bearer token is not known; check that it was copied whole, or create one with `interlock token create`.',
    ))

  it('answers 401 to a revoked token', async () => {
    const token = await api.token('sensors:write')
    const id = (
      await api.pool.query<{ id: string }>('select id from api_tokens order by created_at desc limit 1')
    ).rows[0]!.id
    await revokeToken(api.pool, id)
    await unauthenticated(
      { authorization: `Bearer ${token}` },
      'The bearer token was revoked; create a new one with `interlock token create`.',
    )
  })

  it('answers 403 to a valid token without the scope, naming the scope', async () => {
    const token = await api.token('read')
    const answer = await api.request('POST', SENSOR, { token, json: { count: 1 } })
    expect(answer.status).toBe(403)
    expect(answer.body).toMatchObject({
      type: 'urn:interlock:problem:missing-scope',
      detail:
        'This route needs a token with scope "sensors:write" (or "admin"); the token has read. Create a token with that scope.',
      errors: [{ in: 'header', path: 'Authorization' }],
    })
    const reads = await api.token('sensors:write')
    expect((await api.request('GET', '/api/pipelines/orders-daily', { token: reads })).status).toBe(403)
  })

  it('lets an admin token use every route', async () => {
    const admin = await api.token('admin')
    const put = await api.request('PUT', '/api/pipelines/orders-daily', {
      token: admin,
      text: ORDERS_DAILY,
      contentType: 'application/yaml',
    })
    expect(put.status).toBe(201)
    expect((await api.request('GET', '/api/pipelines/orders-daily', { token: admin })).status).toBe(200)
  })

  it('answers 429 with Retry-After once a token has spent its burst', async () => {
    const token = await api.token('read')
    const statuses: number[] = []
    let limited: Awaited<ReturnType<ApiHarness['request']>> | undefined
    for (let index = 0; index < 5; index++) {
      const answer = await api.request('GET', '/api/pipelines/orders-daily', { token })
      statuses.push(answer.status)
      if (answer.status === 429) limited ??= answer
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200])
    expect(limited?.headers.get('retry-after')).toBe('1')
    expect(limited?.body).toMatchObject({
      type: 'urn:interlock:problem:rate-limited',
      errors: [{ in: 'header', path: 'Authorization' }],
    })
    // Another token has a bucket of its own.
    expect(
      (await api.request('GET', '/api/pipelines/orders-daily', { token: await api.token('read') })).status,
    ).toBe(200)
  })
})

describe('unknown routes, request ids and logs', () => {
  it('answers unknown routes with a 404 problem naming the path', async () => {
    const answer = await api.request('GET', '/api/nothing-here')
    expect(answer.status).toBe(404)
    expect(answer.body).toMatchObject({
      type: 'urn:interlock:problem:route-not-found',
      detail:
        'There is no route GET /api/nothing-here; the routes are listed at /api/openapi.json and /api/docs.',
      errors: [{ in: 'path', path: '/api/nothing-here' }],
    })
  })

  it("gives every answer a request id, keeps a caller's own, and logs it on every line without the token", async () => {
    const token = await api.token('read')
    const own = await api.request('GET', '/api/pipelines/orders-daily', {
      token,
      headers: { 'x-request-id': 'caller-123' },
    })
    expect(own.headers.get('x-request-id')).toBe('caller-123')
    const generated = await api.request('GET', '/api/health')
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    const lines = api.logLines()
    const mine = lines.filter((line) => line.requestId === 'caller-123')
    expect(mine).toMatchObject([
      { msg: 'request answered', method: 'GET', route: '/api/pipelines/:id', status: 200 },
    ])
    expect(lines.every((line) => typeof line.requestId === 'string')).toBe(true)
    expect(JSON.stringify(lines)).not.toContain(token)
    expect(JSON.stringify(lines)).not.toContain('ilk_')
  })

  it('answers an unexpected failure with a bare 500 that shows no SQL or stack', async () => {
    const token = await api.token('read')
    await api.pool.query('alter table events rename to events_hidden')
    try {
      const answer = await api.request('GET', '/api/pipelines/orders-daily', { token })
      expect(answer.status).toBe(500)
      const id = answer.headers.get('x-request-id')
      expect(answer.body).toEqual({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        detail: `The server failed to answer this request; quote request id ${id} when reporting it.`,
        instance: `urn:interlock:request:${id}`,
      })
      const logged = api.logLines().find((line) => line.requestId === id && line.level === 50)
      expect(logged).toMatchObject({ msg: 'request failed unexpectedly' })
    } finally {
      await api.pool.query('alter table events_hidden rename to events')
    }
  })
})

describe('operations routes', () => {
  it('answers liveness', async () => {
    const answer = await api.request('GET', '/api/health')
    expect(answer).toMatchObject({ status: 200, body: { status: 'ok' } })
  })

  it('answers readiness with the database, migrations and projection lag', async () => {
    const answer = await api.request('GET', '/api/ready')
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({
      status: 'ready',
      database: { reachable: true },
      migrations: { current: true },
    })
    const { applied, expected } = (answer.body as { migrations: { applied: number; expected: number } })
      .migrations
    expect(applied).toBe(expected)
    expect(applied).toBeGreaterThanOrEqual(3)
  })

  it('reports not ready, never 500, when migrations are missing or the readiness queries fail', async () => {
    await api.pool.query('alter table interlock_migrations rename to interlock_migrations_hidden')
    try {
      const unmigrated = await api.request('GET', '/api/ready')
      expect(unmigrated).toMatchObject({
        status: 503,
        body: { status: 'not-ready', migrations: { applied: 0, current: false } },
      })
    } finally {
      await api.pool.query('alter table interlock_migrations_hidden rename to interlock_migrations')
    }
    await api.pool.query('alter table event_subscriptions rename to event_subscriptions_hidden')
    try {
      const failing = await api.request('GET', '/api/ready')
      expect(failing).toMatchObject({ status: 503, body: { status: 'not-ready' } })
    } finally {
      await api.pool.query('alter table event_subscriptions_hidden rename to event_subscriptions')
    }
  })

  it('reports not ready when a projection is further behind than allowed', async () => {
    await api.pool.query(
      "insert into event_subscriptions (name, global_position) values ('projection:test-lagging', 0) on conflict do nothing",
    )
    const lagging = await startLagProbe()
    expect(lagging.status).toBe(503)
    expect(lagging.body).toMatchObject({
      status: 'not-ready',
      projections: [{ name: 'test-lagging', behind: true }],
    })
    await api.pool.query("delete from event_subscriptions where name = 'projection:test-lagging'")
  })

  it('exposes request counts and latencies in Prometheus text', async () => {
    await api.request('GET', '/api/health')
    const answer = await api.request('GET', '/metrics')
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    expect(answer.text).toContain(
      'interlock_api_requests_total{method="GET",route="/api/health",status="200"}',
    )
    expect(answer.text).toContain(
      'interlock_api_request_duration_seconds_bucket{method="GET",route="/api/health",le="+Inf"}',
    )
    expect(answer.text).toContain('# TYPE interlock_projection_lag_milliseconds gauge')
  })

  it('describes every route in OpenAPI 3.1 from the schemas the routes decode with', async () => {
    const answer = await api.request('GET', '/api/openapi.json')
    const document = answer.body as {
      openapi: string
      paths: Record<string, Record<string, { 'x-required-scope'?: string; requestBody?: unknown }>>
      components: { schemas: Record<string, unknown> }
    }
    expect(document.openapi).toBe('3.1.0')
    expect(document.paths['/api/pipelines/{id}/sensors/{key}']?.post?.['x-required-scope']).toBe(
      'sensors:write',
    )
    expect(document.paths['/api/pipelines/{id}']?.put?.requestBody).toMatchObject({
      content: { 'application/yaml': { schema: { $ref: '#/components/schemas/PipelineConfig' } } },
    })
    expect(document.components.schemas.SensorBatchItem).toMatchObject({
      required: ['pipelineId', 'key', 'data'],
      additionalProperties: false,
    })
    expect(JSON.stringify(document)).not.toContain('#/$defs/')
    const docs = await api.request('GET', '/api/docs')
    expect(docs.headers.get('content-type')).toContain('text/html')
    expect(docs.text).toContain('<code>/api/sensors</code>')
  })
})

/** Readiness with an event older than the allowed lag (the harness allows 60 s): one backdated reading. */
async function startLagProbe() {
  const admin = await api.token('admin')
  await api.request('POST', SENSOR, { token: admin, json: { count: 1 } })
  await api.pool.query('alter table events disable trigger events_immutable_rows')
  await api.pool.query("update events set recorded_at = now() - interval '1 hour'")
  await api.pool.query('alter table events enable trigger events_immutable_rows')
  return api.request('GET', '/api/ready')
}
