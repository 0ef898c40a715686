import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApiHarness, startApiHarness } from '../testing/api-harness.ts'
import { CLICKSTREAM_HOURLY, ORDERS_DAILY } from '../testing/fixtures.ts'

let api: ApiHarness
let sensors: string

beforeAll(async () => {
  api = await startApiHarness({ bodyLimitBytes: 4_096, jsonMaxDepth: 8 })
  sensors = await api.token('sensors:write')
  const admin = await api.token('admin')
  for (const [id, yaml] of [
    ['orders-daily', ORDERS_DAILY],
    ['clickstream-hourly', CLICKSTREAM_HOURLY],
  ] as const) {
    const answer = await api.request('PUT', `/api/pipelines/${id}`, {
      token: admin,
      text: yaml,
      contentType: 'text/yaml',
    })
    expect(answer.status).toBe(201)
  }
})
afterAll(async () => api.close())

const post = (
  path: string,
  options: { json?: unknown; text?: string; headers?: Record<string, string> } = {},
) => api.request('POST', path, { token: sensors, contentType: 'application/json', ...options })

/** A POST whose body streams in chunks, without a Content-Length (as `curl -T -` or a proxy may send it). */
function postChunked(path: string, token: string, chunks: ReadonlyArray<string>) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const request = httpRequest(`${api.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'transfer-encoding': 'chunked',
      },
    })
    request.on('error', reject)
    request.on('response', (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        text += chunk
      })
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }))
    })
    for (const chunk of chunks) request.write(chunk)
    request.end()
  })
}

describe('POST /api/pipelines/{id}/sensors/{key}', () => {
  it('counts a chunked body as it streams: within the limit it is read, beyond it a 413', async () => {
    const path = '/api/pipelines/orders-daily/sensors/chunked-count'
    const small = await postChunked(path, sensors, ['{"count":', '7,"date":"2026-04-20"}'])
    expect(small.status).toBe(201)
    const big = await postChunked(path, sensors, ['{"blob":"', 'x'.repeat(3_000), 'x'.repeat(3_000), '"}'])
    expect(big.status).toBe(413)
    expect(big.body).toMatchObject({ errors: [{ in: 'body', path: '' }] })
  })

  it('records the reading in the period its date names', async () => {
    const answer = await post('/api/pipelines/orders-daily/sensors/orders-count', {
      json: { count: 1200, date: '2026-03-02' },
    })
    expect(answer.status).toBe(201)
    expect(answer.body).toEqual({
      pipelineId: 'orders-daily',
      key: 'orders-count',
      runs: [
        {
          scheduleId: 'default',
          period: '2026-03-02',
          result: 'recorded',
          streamVersion: 1,
          events: ['SensorReadingRecorded'],
        },
      ],
    })
  })

  it("records a reading without a date in today's period, and an hourly one in its hour", async () => {
    const today = await post('/api/pipelines/orders-daily/sensors/orders-count', { json: { count: 5 } })
    expect(today.body).toMatchObject({ runs: [{ period: '2026-03-04' }] })
    const hourly = await post('/api/pipelines/clickstream-hourly/sensors/clicks-landed', {
      json: { date: '20260303', hour: 7 },
    })
    expect(hourly.body).toMatchObject({ runs: [{ period: '2026-03-03T07' }] })
  })

  it('accepts a per-period key, its # written as %23', async () => {
    const answer = await post('/api/pipelines/orders-daily/sensors/orders-count%232026-03-02', {
      json: { count: 1 },
    })
    expect(answer.status).toBe(201)
    expect(answer.body).toMatchObject({ key: 'orders-count#2026-03-02' })
  })

  it('answers 404 for an unknown pipeline and stores nothing', async () => {
    const before = await api.eventCount()
    const answer = await post('/api/pipelines/nowhere/sensors/orders-count', { json: { count: 1 } })
    expect(answer.status).toBe(404)
    expect(answer.body).toMatchObject({
      type: 'urn:interlock:problem:pipeline-not-found',
      detail: 'Pipeline nowhere is not registered; register its config first (PUT /api/pipelines/nowhere).',
      errors: [{ in: 'path', path: 'id' }],
    })
    expect(await api.eventCount()).toBe(before)
  })

  it('answers 400 naming date or hour when either is invalid (R3), storing nothing', async () => {
    const before = await api.eventCount()
    const badDate = await post('/api/pipelines/orders-daily/sensors/orders-count', {
      json: { date: '2026-02-30' },
    })
    expect(badDate.status).toBe(400)
    expect(badDate.body).toMatchObject({
      errors: [
        {
          in: 'body',
          path: 'date',
          message:
            'sensor field "date" is "2026-02-30"; write the execution date as a string YYYY-MM-DD or YYYYMMDD, or leave it out for today',
        },
      ],
    })
    const badHour = await post('/api/pipelines/clickstream-hourly/sensors/clicks-landed', {
      json: { hour: 24 },
    })
    expect(badHour.status).toBe(400)
    expect(badHour.body).toMatchObject({ errors: [{ in: 'body', path: 'hour' }] })
    expect(await api.eventCount()).toBe(before)
  })

  it('answers 400 naming the field for text the log cannot store (a NUL, half a surrogate pair), storing nothing', async () => {
    const before = await api.eventCount()
    const nul = await post('/api/pipelines/orders-daily/sensors/orders-count', {
      text: '{"count": 1, "note": "a\\u0000b"}',
    })
    expect(nul.status).toBe(400)
    expect(nul.body).toMatchObject({
      errors: [{ in: 'body', path: 'note', message: expect.stringContaining('NUL character') }],
    })
    const halfPair = await post('/api/pipelines/orders-daily/sensors/orders-count', {
      text: '{"count": 1, "labels": {"tag": "\\ud83d"}}',
    })
    expect(halfPair.status).toBe(400)
    expect(halfPair.body).toMatchObject({
      errors: [{ in: 'body', path: 'labels.tag', message: expect.stringContaining('surrogate') }],
    })
    const nulKey = await post('/api/pipelines/orders-daily/sensors/orders%00count', { json: { count: 1 } })
    expect(nulKey.status).toBe(400)
    expect(nulKey.body).toMatchObject({ errors: [{ in: 'path', path: 'key' }] })
    expect(await api.eventCount()).toBe(before)
    // A whole character written as its escaped pair is text like any other.
    const emoji = await post('/api/pipelines/orders-daily/sensors/orders-count', {
      text: '{"count": 1, "note": "\\ud83d\\ude00", "date": "2026-03-09"}',
    })
    expect(emoji.status).toBe(201)
  })

  it('refuses malformed JSON, a body that is not an object, a wrong Content-Type, deep nesting and oversized bodies', async () => {
    const before = await api.eventCount()
    const path = '/api/pipelines/orders-daily/sensors/orders-count'
    const malformed = await post(path, { text: '{"count": 1,' })
    expect(malformed.status).toBe(400)
    expect(malformed.body).toMatchObject({
      type: 'urn:interlock:problem:malformed-json',
      errors: [{ in: 'body', path: '' }],
    })
    const array = await post(path, { json: [1, 2] })
    expect(array.status).toBe(400)
    expect(array.body).toMatchObject({
      errors: [{ in: 'body', path: '', message: 'must be a JSON object of sensor fields, got [1,2]' }],
    })
    // Decoding would make "__proto__" the prototype: fields the rules read that the stored reading lacks.
    const proto = await post(path, { text: '{"__proto__": {"status": "COMPLETE"}, "count": 1}' })
    expect(proto.status).toBe(400)
    expect(proto.body).toMatchObject({
      errors: [
        { in: 'body', path: '', message: expect.stringContaining('"__proto__" cannot be a sensor field') },
      ],
    })
    const form = await api.request('POST', path, {
      token: sensors,
      text: 'count=1',
      contentType: 'application/x-www-form-urlencoded',
    })
    expect(form.status).toBe(415)
    expect(form.body).toMatchObject({ errors: [{ in: 'header', path: 'Content-Type' }] })
    const deep = await post(path, { text: `${'{"a":'.repeat(9)}1${'}'.repeat(9)}` })
    expect(deep.status).toBe(400)
    expect(deep.body).toMatchObject({
      detail: 'The request body nests arrays and objects deeper than 8 levels; flatten it.',
    })
    const big = await post(path, { json: { blob: 'x'.repeat(5_000) } })
    expect(big.status).toBe(413)
    expect(big.body).toMatchObject({
      detail:
        'The request body is larger than 4096 bytes; send less (sensor batches hold at most 1,000 readings).',
      errors: [{ in: 'body', path: '' }],
    })
    const badKey = await post('/api/pipelines/orders-daily/sensors/has%20space', { json: {} })
    expect(badKey.status).toBe(400)
    expect(badKey.body).toMatchObject({ errors: [{ in: 'path', path: 'key' }] })
    expect(await api.eventCount()).toBe(before)
  })

  it('stores one reading for the same Idempotency-Key and answers the replay as the first time', async () => {
    const before = await api.eventCount()
    const send = () =>
      post('/api/pipelines/orders-daily/sensors/orders-landed', {
        json: { status: 'PARTIAL', date: '2026-03-01' },
        headers: { 'Idempotency-Key': 'load-2026-03-01' },
      })
    const first = await send()
    const second = await send()
    expect(first.status).toBe(201)
    expect(second.status).toBe(201)
    expect(second.body).toEqual(first.body)
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    expect(await api.eventCount()).toBe(before + 1)
  })

  it('refuses an Idempotency-Key reused for a different reading', async () => {
    const send = (count: number) =>
      post('/api/pipelines/orders-daily/sensors/orders-count', {
        json: { count, date: '2026-03-01' },
        headers: { 'Idempotency-Key': 'count-once' },
      })
    expect((await send(1)).status).toBe(201)
    const reused = await send(2)
    expect(reused.status).toBe(422)
    expect(reused.body).toMatchObject({
      detail:
        'Idempotency-Key "count-once" was first used for a different request to this sensor; use a new key for a new reading.',
      errors: [{ in: 'header', path: 'Idempotency-Key' }],
    })
  })

  it('refuses an Idempotency-Key that is not 1–255 visible characters, naming the header', async () => {
    const answer = await post('/api/pipelines/orders-daily/sensors/orders-count', {
      json: { count: 1 },
      headers: { 'Idempotency-Key': 'two words' },
    })
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({
      errors: [
        {
          in: 'header',
          path: 'Idempotency-Key',
          message: 'an idempotency key is 1–255 visible ASCII characters (no spaces)',
        },
      ],
    })
  })

  it('stores one reading when the same Idempotency-Key arrives many times at once', async () => {
    const before = await api.eventCount()
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        post('/api/pipelines/orders-daily/sensors/orders-landed', {
          json: { status: 'COMPLETE', date: '2026-02-27' },
          headers: { 'Idempotency-Key': 'racing' },
        }),
      ),
    )
    expect(answers.map((answer) => answer.status).every((status) => status === 201 || status === 200)).toBe(
      true,
    )
    expect(await api.eventCount()).toBeGreaterThan(before)
    const appended = await api.pool.query<{ n: number }>(
      "select count(*)::int as n from events where type = 'SensorReadingRecorded' and data ->> 'key' = 'orders-landed' and metadata -> 'tags' ->> 'period' = '2026-02-27'",
    )
    expect(appended.rows[0]!.n).toBe(1)
  })
})

describe('POST /api/sensors', () => {
  it('refuses an item whose data has a "__proto__" field, naming it, and stores nothing for it', async () => {
    const before = await api.eventCount()
    const answer = await post('/api/sensors', {
      text: '{"readings": [{"pipelineId": "orders-daily", "key": "orders-landed", "data": {"__proto__": {"status": "COMPLETE"}}}]}',
    })
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({
      accepted: 0,
      rejected: 1,
      results: [{ index: 0, status: 400, errors: [{ path: 'readings[0].data' }] }],
    })
    expect(await api.eventCount()).toBe(before)
  })

  it('refuses only the item whose data the log cannot store, naming its field, and records the others', async () => {
    const before = await api.eventCount()
    const answer = await post('/api/sensors', {
      text:
        '{"readings": [{"pipelineId": "orders-daily", "key": "orders-count", "data": {"date": "2026-03-10", "note": "x\\u0000"}},' +
        ' {"pipelineId": "orders-daily", "key": "orders-count", "data": {"date": "2026-03-10", "count": 3}}]}',
    })
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({
      accepted: 1,
      rejected: 1,
      results: [
        {
          index: 0,
          status: 400,
          errors: [
            { path: 'readings[0].data', message: expect.stringContaining('field "note" holds a NUL') },
          ],
        },
        { index: 1, status: 201 },
      ],
    })
    expect(await api.eventCount()).toBe(before + 1)
  })

  it('records the valid readings of a mixed batch and gives each item its own result', async () => {
    const readings = async () =>
      (
        await api.pool.query<{ n: number }>(
          "select count(*)::int as n from events where type = 'SensorReadingRecorded'",
        )
      ).rows[0]!.n
    const before = await readings()
    const answer = await post('/api/sensors', {
      json: {
        readings: [
          { pipelineId: 'orders-daily', key: 'orders-count', data: { count: 10, date: '2026-02-01' } },
          { pipelineId: 'nowhere', key: 'orders-count', data: { count: 10 } },
          { pipelineId: 'orders-daily', key: 'orders-count', data: { date: 'yesterday' } },
          { pipelineId: 'orders-daily', key: 'orders count', data: 'x' },
          {
            pipelineId: 'orders-daily',
            key: 'orders-landed',
            data: { status: 'COMPLETE', date: '2026-02-01' },
            id: 'b-1',
          },
        ],
      },
    })
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({
      accepted: 2,
      rejected: 3,
      results: [
        { index: 0, status: 201, runs: [{ period: '2026-02-01', result: 'recorded' }] },
        { index: 1, status: 404, type: 'PipelineNotFound', errors: [{ path: 'readings[1].pipelineId' }] },
        { index: 2, status: 400, type: 'InvalidSensorPeriod', errors: [{ path: 'readings[2].data.date' }] },
        {
          index: 3,
          status: 400,
          type: 'InvalidRequest',
          errors: [
            { path: 'readings[3].key' },
            { path: 'readings[3].data', message: 'must be a JSON object of sensor fields, got "x"' },
          ],
        },
        { index: 4, id: 'b-1', status: 201 },
      ],
    })
    expect(await readings()).toBe(before + 2)
  })

  it('stores an item with an id once when the batch is sent again', async () => {
    const batch = {
      readings: [
        {
          pipelineId: 'orders-daily',
          key: 'orders-count',
          data: { count: 3, date: '2026-01-01' },
          id: 'r-1',
        },
      ],
    }
    await post('/api/sensors', { json: batch })
    const before = await api.eventCount()
    const again = await post('/api/sensors', { json: batch })
    expect(again.body).toMatchObject({ results: [{ status: 200, runs: [{ result: 'duplicate' }] }] })
    expect(await api.eventCount()).toBe(before)
  })

  it('records readings of one period in batch order, a repeated id once, in one transaction', async () => {
    const answer = await post('/api/sensors', {
      json: {
        readings: [
          {
            pipelineId: 'orders-daily',
            key: 'orders-count',
            data: { count: 1, date: '2026-03-11' },
            id: 'o-1',
          },
          {
            pipelineId: 'orders-daily',
            key: 'orders-count',
            data: { count: 2, date: '2026-03-11' },
            id: 'o-2',
          },
          {
            pipelineId: 'orders-daily',
            key: 'orders-count',
            data: { count: 1, date: '2026-03-11' },
            id: 'o-1',
          },
          { pipelineId: 'orders-daily', key: 'orders-count', data: { count: 3, date: '2026-03-11' } },
        ],
      },
    })
    expect(answer.body).toMatchObject({
      accepted: 4,
      results: [
        { index: 0, status: 201, runs: [{ result: 'recorded' }] },
        { index: 1, status: 201, runs: [{ result: 'recorded' }] },
        { index: 2, status: 200, runs: [{ result: 'duplicate' }] },
        { index: 3, status: 201, runs: [{ result: 'recorded' }] },
      ],
    })
    const { rows } = await api.pool.query<{ count: string; transaction_id: string }>(
      `select data -> 'data' ->> 'count' as count, transaction_id::text from events
       where stream_id = 'run-orders-daily-default-2026-03-11' and type = 'SensorReadingRecorded'
       order by stream_version`,
    )
    expect(rows.map((row) => Number(row.count))).toEqual([1, 2, 3])
    expect(new Set(rows.map((row) => row.transaction_id)).size).toBe(1)
  })

  it('refuses an empty batch, a batch over 1,000 readings and a body without readings as a whole', async () => {
    const empty = await post('/api/sensors', { json: { readings: [] } })
    expect(empty.status).toBe(400)
    expect(empty.body).toMatchObject({ errors: [{ in: 'body', path: 'readings' }] })
    const tooMany = await post('/api/sensors', {
      json: { readings: Array.from({ length: 1_001 }, () => ({})) },
    })
    expect(tooMany.status).toBe(400)
    expect(tooMany.body).toMatchObject({ errors: [{ in: 'body', path: 'readings' }] })
    const missing = await post('/api/sensors', { json: { reading: [] } })
    expect(missing.status).toBe(400)
    expect(missing.body).toMatchObject({
      errors: [
        { in: 'body', path: 'reading', message: 'unknown key "reading"; did you mean "readings"?' },
        { in: 'body', path: 'readings', message: 'readings is required' },
      ],
    })
  })
})
