import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApiHarness, startApiHarness } from './testing/api-harness.ts'
import { CLICKSTREAM_HOURLY, ORDERS_DAILY } from './testing/fixtures.ts'

let api: ApiHarness
let admin: string

beforeAll(async () => {
  // The rate limit is not under test here: every body must reach its route.
  api = await startApiHarness({
    rateLimit: { perSecond: 1_000_000, burst: 1_000_000 },
    bodyLimitBytes: 65_536,
  })
  admin = await api.token('admin')
  for (const [id, yaml] of [
    ['orders-daily', ORDERS_DAILY],
    ['clickstream-hourly', CLICKSTREAM_HOURLY],
  ] as const) {
    await api.request('PUT', `/api/pipelines/${id}`, {
      token: admin,
      text: yaml,
      contentType: 'application/yaml',
    })
  }
})
afterAll(async () => api.close())

/** Text JSON carries but the log cannot store (a NUL, half a surrogate pair), mixed with text it can. */
const hostileText = fc.string({
  unit: fc.constantFrom('a', '-', '\u0000', '\ud83d', '\ude00', 'é', '"', '\\'),
  maxLength: 8,
})
const someText = fc.oneof(fc.string(), hostileText)
const pipelineId = fc.constantFrom('orders-daily', 'clickstream-hourly', 'nowhere', 'bad id', '')
const sensorKey = fc.oneof(
  fc.constantFrom('orders-count', 'orders-landed', 'clicks-landed', 'a#2026-03-01', 'orders\u0000count'),
  fc.string(),
)
const date = fc.oneof(
  fc.constantFrom('2026-03-01', '20260301', '2026-02-30', 'yesterday', '', '2026-13-01'),
  fc.integer(),
  fc.constant(null),
)
const hour = fc.oneof(
  fc.constantFrom('00', '07', '23', '24', '7', 'noon'),
  fc.integer({ min: -2, max: 30 }),
  fc.boolean(),
)
const sensorData = fc.oneof(
  fc.record({ date, hour, count: fc.oneof(fc.integer(), fc.string()) }, { requiredKeys: [] }),
  fc.record({ status: fc.constantFrom('COMPLETE', 'PARTIAL'), date }, { requiredKeys: [] }),
  fc.dictionary(someText, fc.oneof(someText, fc.integer(), date), { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
)
const reading = fc.oneof(
  fc.record(
    { pipelineId, key: fc.oneof(sensorKey, hostileText), data: sensorData, id: fc.string({ maxLength: 8 }) },
    { requiredKeys: ['pipelineId'] },
  ),
  fc.jsonValue({ maxDepth: 2 }),
)
const period = fc.oneof(fc.constantFrom('2026-03-01', '2026-03-01T07', '2026-02-30', 'today'), fc.string())

/** A body as sent: JSON of a near-valid value, any JSON, or any text (malformed JSON, YAML, garbage). */
const text = (value: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 4, arbitrary: value.map((body) => JSON.stringify(body)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((body) => JSON.stringify(body)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        '{',
        '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1',
        'null',
        '"x"',
        '{"a":1}{',
      ),
    },
  )

const call = fc.oneof(
  fc.record({
    method: fc.constant('POST'),
    path: fc
      .tuple(pipelineId, sensorKey)
      .map(([id, key]) => `/api/pipelines/${encodeURIComponent(id)}/sensors/${encodeURIComponent(key)}`),
    body: text(sensorData),
    idempotencyKey: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
  }),
  fc.record({
    method: fc.constant('POST'),
    path: fc.constant('/api/sensors'),
    body: text(fc.oneof(fc.record({ readings: fc.array(reading, { maxLength: 20 }) }), fc.array(reading))),
  }),
  fc.record({
    method: fc.constant('PUT'),
    path: pipelineId.map((id) => `/api/pipelines/${encodeURIComponent(id)}`),
    body: text(
      fc.record({
        pipeline: fc.record({ id: pipelineId, owner: someText }, { requiredKeys: ['id'] }),
        schedule: fc.jsonValue({ maxDepth: 2 }),
        job: fc.jsonValue({ maxDepth: 2 }),
      }),
    ),
  }),
  fc.record({
    method: fc.constant('POST'),
    path: pipelineId.map((id) => `/api/pipelines/${encodeURIComponent(id)}/reruns`),
    body: text(
      fc.record(
        { period, reason: someText, schedule: fc.constantFrom('default', 'other') },
        { requiredKeys: [] },
      ),
    ),
  }),
  fc.record({
    method: fc.constant('POST'),
    path: fc
      .oneof(fc.constant('orders-daily/default/2026-03-01/1'), fc.string())
      .map((attempt) => `/api/runs/${encodeURIComponent(attempt)}/complete`),
    body: text(
      fc.record(
        { status: fc.constantFrom('success', 'failed', 'done'), runId: someText, error: someText },
        { requiredKeys: [] },
      ),
    ),
  }),
  fc.record({
    method: fc.constant('POST'),
    path: pipelineId.map((id) => `/api/pipelines/${encodeURIComponent(id)}/pause`),
    body: text(fc.record({ reason: fc.oneof(someText, fc.integer()) }, { requiredKeys: [] })),
  }),
)
const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/yaml',
  'text/plain',
  'application/problem+json',
)

describe('the write routes under 2,000 random bodies', () => {
  it('never answer 5xx, and store nothing when they answer 4xx', async () => {
    const statuses = new Map<number, number>()
    await fc.assert(
      fc.asyncProperty(call, contentType, async (request, type) => {
        const before = await api.eventCount()
        const answer = await api.request(request.method, request.path, {
          token: admin,
          text: request.body,
          contentType: type,
          headers:
            'idempotencyKey' in request && request.idempotencyKey !== undefined
              ? { 'idempotency-key': request.idempotencyKey }
              : {},
        })
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
        expect(
          answer.status,
          `${request.method} ${request.path} ${request.body} → ${answer.text}`,
        ).toBeLessThan(500)
        if (answer.status >= 400) {
          expect(
            await api.eventCount(),
            `${request.method} ${request.path} ${request.body} → ${answer.status}`,
          ).toBe(before)
          expect(answer.headers.get('content-type')).toBe('application/problem+json')
          expect((answer.body as { errors: unknown[] }).errors.length).toBeGreaterThan(0)
        }
      }),
      { numRuns: 2_000 },
    )
    // The bodies must reach the routes' logic, not all stop at one gate: some are stored, many refused.
    const count = (low: number, high: number) =>
      [...statuses].filter(([status]) => status >= low && status < high).reduce((sum, [, n]) => sum + n, 0)
    expect(count(200, 300)).toBeGreaterThan(20)
    expect(count(400, 500)).toBeGreaterThan(500)
    expect(statuses.get(401) ?? 0).toBe(0)
  }, 300_000)
})
