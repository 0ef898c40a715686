import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApiHarness, startApiHarness } from '../testing/api-harness.ts'

let api: ApiHarness
let writer: string
let reader: string

beforeAll(async () => {
  api = await startApiHarness()
  writer = await api.token('pipelines:write')
  reader = await api.token('read')
})
afterAll(async () => api.close())

const US_HOLIDAYS = 'name: us-holidays\ndays: [Saturday, sunday]\ndates: ["2026-01-19", "2026-07-03"]\n'

const put = (name: string, text: string, contentType = 'application/yaml', token = writer) =>
  api.request('PUT', `/api/calendars/${name}`, { token, text, contentType })

describe('PUT /api/calendars/{name}', () => {
  it('registers a YAML calendar as version 1, the same content again as no new version', async () => {
    const first = await put('us-holidays', US_HOLIDAYS)
    expect(first.status).toBe(201)
    expect(first.body).toEqual({ name: 'us-holidays', version: 1, changed: true })
    const again = await put('us-holidays', US_HOLIDAYS)
    expect(again.status).toBe(200)
    expect(again.body).toEqual({ name: 'us-holidays', version: 1, changed: false })
  })

  it('accepts JSON and answers changed content with the next version', async () => {
    const answer = await api.request('PUT', '/api/calendars/us-holidays', {
      token: writer,
      json: { name: 'us-holidays', dates: ['2026-01-19'] },
    })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ name: 'us-holidays', version: 2, changed: true })
  })

  it('reports every problem of an invalid calendar at once and stores nothing', async () => {
    const before = await api.eventCount()
    const answer = await put('broken', 'name: broken\ndays: [funday]\ndates: ["2026-13-01"]\n')
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({
      status: 400,
      type: 'urn:interlock:problem:config-invalid',
      title: 'Invalid config',
      detail: expect.stringMatching(/^The calendar has 2 problem\(s\): days\[0\]: /),
    })
    const errors = (answer.body as { errors: ReadonlyArray<{ in: string; path: string }> }).errors
    expect(errors.map((error) => [error.in, error.path])).toEqual([
      ['body', 'days[0]'],
      ['body', 'dates[0]'],
    ])
    expect(await api.eventCount()).toBe(before)
  })

  it('refuses a calendar whose name is not the one in the path, naming the field', async () => {
    const answer = await put('eu-holidays', US_HOLIDAYS)
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({
      type: 'urn:interlock:problem:calendar-name-mismatch',
      errors: [
        {
          in: 'body',
          path: 'name',
          message:
            'The calendar is named us-holidays but was sent to calendar eu-holidays; send it to calendar-us-holidays.',
        },
      ],
    })
  })

  it('refuses a name that is not a calendar name, and writes without the scope', async () => {
    const badName = await put('bad%20name', US_HOLIDAYS)
    expect(badName.status).toBe(400)
    expect(badName.body).toMatchObject({ errors: [{ in: 'path', path: 'name' }] })
    expect((await put('us-holidays', US_HOLIDAYS, 'application/yaml', reader)).status).toBe(403)
    const anonymous = await api.request('PUT', '/api/calendars/us-holidays', {
      text: US_HOLIDAYS,
      contentType: 'application/yaml',
    })
    expect(anonymous.status).toBe(401)
    expect((await put('us-holidays', US_HOLIDAYS, 'text/plain')).status).toBe(415)
  })
})

describe('GET and DELETE /api/calendars/{name}', () => {
  it('answers the definition and its version with the read scope', async () => {
    const answer = await api.request('GET', '/api/calendars/us-holidays', { token: reader })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      name: 'us-holidays',
      version: 2,
      calendar: { name: 'us-holidays', days: [], dates: ['2026-01-19'] },
    })
    expect((await api.request('GET', '/api/calendars/us-holidays')).status).toBe(401)
  })

  it('removes a calendar, then answers 404 for it', async () => {
    expect((await api.request('DELETE', '/api/calendars/us-holidays', { token: reader })).status).toBe(403)
    const removed = await api.request('DELETE', '/api/calendars/us-holidays', { token: writer })
    expect(removed.status).toBe(200)
    expect(removed.body).toEqual({ name: 'us-holidays', status: 'removed', changed: true })
    const gone = await api.request('GET', '/api/calendars/us-holidays', { token: reader })
    expect(gone.status).toBe(404)
    expect(gone.body).toMatchObject({
      errors: [
        {
          in: 'path',
          path: 'name',
          message: 'There is no calendar "us-holidays"; check the name in the path.',
        },
      ],
    })
    expect((await api.request('DELETE', '/api/calendars/us-holidays', { token: writer })).status).toBe(404)
  })
})
