// biome-ignore-all lint/suspicious/noTemplateCurlyInString: configs hold literal `${INTERLOCK_…}` text for the expansion
import {
  type FakeAnswer,
  type FakeServer,
  HANG,
  type RecordedRequest,
  startFakeServer,
} from '@interlock/test'
import { Duration, Effect } from 'effect'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { OutboundHttp } from '../outbound/outbound-http.ts'
import { guardedHttp, loopbackHttp } from '../test-http.ts'
import { dailyRun, hourlyRun, run, runError } from '../test-support.ts'
import { interlockEnvironment } from '../text/env-expansion.ts'
import { HTTP_ATTEMPTS, makeHttpTrigger, retryDelayMs } from './http-trigger.ts'

let server: FakeServer
let answers: FakeAnswer[] = []
let http: OutboundHttp
const delays: number[] = []

beforeAll(async () => {
  server = await startFakeServer(() => answers.shift() ?? { status: 200, body: { ok: true } })
})

afterAll(async () => {
  await http.close()
  await server.close()
})

beforeEach(async () => {
  answers = []
  delays.length = 0
  // A client per test: its host's circuit breaker starts closed, whatever the tests before it failed.
  await http?.close()
  http = loopbackHttp()
})

const environment = interlockEnvironment({
  INTERLOCK_TOKEN: 'good-token',
  INTERLOCK_TEST_VAR: 'safe',
  AWS_SECRET_ACCESS_KEY: 'leaked',
  SECRET_VAR: 'leaked',
})
const trigger = (client: OutboundHttp = http) =>
  makeHttpTrigger({
    http: client,
    environment,
    sleep: (delay) => Effect.sync(() => delays.push(Duration.toMillis(delay))),
    random: () => 0.5,
  })
const config = (overrides: Record<string, unknown> = {}) => ({
  url: `${server.url}/jobs`,
  method: 'POST',
  ...overrides,
})
const lastRequest = (): RecordedRequest | undefined => server.requests.at(-1)

describe('http trigger, start', () => {
  it('sends the request and completes synchronously', async () => {
    const started = await run(trigger().start(config(), dailyRun))
    expect(started).toEqual({
      externalRunId: 'sync',
      metadata: { http_status: '200' },
      synchronous: true,
      message: 'http trigger completed synchronously',
    })
    expect(lastRequest()).toMatchObject({ method: 'POST', path: '/jobs' })
  })

  it('returns the run id an answer names', async () => {
    answers.push({ status: 202, body: { runId: 'remote-42' } })
    const started = await run(trigger().start(config(), dailyRun))
    expect(started.externalRunId).toBe('remote-42')
    expect(started.metadata).toEqual({ http_status: '202', http_run_id: 'remote-42' })
  })

  it('sends {"par_day"} for a daily period and adds par_hour for an hourly one when the body is empty', async () => {
    await run(trigger().start(config(), dailyRun))
    expect(lastRequest()?.body).toBe('{"par_day":"20260303"}')
    await run(trigger().start(config({ body: '' }), hourlyRun))
    expect(lastRequest()?.body).toBe('{"par_day":"20260306","par_hour":"16"}')
  })

  it('sends a configured body byte for byte, templates rendered', async () => {
    await run(trigger().start(config({ body: '{"custom": "payload", "day": "{{date}}"}' }), dailyRun))
    expect(lastRequest()?.body).toBe('{"custom": "payload", "day": "2026-03-03"}')
  })

  it('expands INTERLOCK_ variables in headers and body, and sends the method as written', async () => {
    await run(
      trigger().start(
        config({
          method: 'PUT',
          headers: {
            Authorization: 'Bearer ${INTERLOCK_TOKEN}',
            'X-Mixed': '${INTERLOCK_TEST_VAR}/$INTERLOCK_UNSET',
          },
          body: '{"token":"${INTERLOCK_TOKEN}"}',
        }),
        dailyRun,
      ),
    )
    const request = lastRequest()
    expect(request?.method).toBe('PUT')
    expect(request?.headers.authorization).toBe('Bearer good-token')
    expect(request?.headers['x-mixed']).toBe('safe/')
    expect(request?.headers['content-type']).toBe('application/json')
    expect(request?.body).toBe('{"token":"good-token"}')
  })

  it('refuses a body that reads a variable the operator has not allowed, sending nothing', async () => {
    const before = server.requests.length
    const error = await runError(
      trigger().start(config({ body: '{"secret":"${AWS_SECRET_ACCESS_KEY}"}' }), dailyRun),
    )
    expect(error.category).toBe('PERMANENT')
    expect(error.message).toMatch(/^http trigger: job\.config\.body reads \$\{AWS_SECRET_ACCESS_KEY\}, which/)
    expect(error.message).not.toContain('leaked')
    expect(server.requests.length).toBe(before)
  })

  it('fails at once as PERMANENT on a 4xx, quoting the sanitised body', async () => {
    answers.push({ status: 400, body: 'bad\x00input\x1b[31mred' })
    const before = server.requests.length
    const error = await runError(trigger().start(config(), dailyRun))
    expect(error.category).toBe('PERMANENT')
    expect(error.message).toBe('trigger returned status 400: badinput[31mred')
    expect(server.requests.length - before).toBe(1)
    answers.push({ status: 404, body: 'not found' })
    expect(await runError(trigger().start(config(), dailyRun))).toMatchObject({
      category: 'PERMANENT',
      message: 'trigger returned status 404: not found',
    })
  })

  it('fails as TRANSIENT after three 5xx answers, quoting 512 bytes of the last body', async () => {
    answers.push(
      { status: 500, body: 'x'.repeat(1024) },
      { status: 500, body: 'x'.repeat(1024) },
      { status: 500, body: 'x'.repeat(1024) },
    )
    const before = server.requests.length
    const error = await runError(trigger().start({ url: `${server.url}/jobs`, method: 'GET' }, dailyRun))
    expect(error.category).toBe('TRANSIENT')
    expect(error.message).toBe(`trigger returned status 500: ${'x'.repeat(512)}`)
    expect(server.requests.length - before).toBe(HTTP_ATTEMPTS)
    expect(delays).toEqual([200, 400])
  })

  it('fails as TRANSIENT on a 503', async () => {
    answers.push({ status: 503, body: 'busy' }, { status: 503, body: 'busy' }, { status: 503, body: 'busy' })
    expect(await runError(trigger().start(config(), dailyRun))).toMatchObject({
      category: 'TRANSIENT',
      message: 'trigger returned status 503: busy',
    })
  })

  it('succeeds when the third attempt answers after two 5xx', async () => {
    answers.push({ status: 502, body: 'gateway' }, { status: 503, body: 'busy' })
    const started = await run(trigger().start(config(), dailyRun))
    expect(started.synchronous).toBe(true)
    expect(delays).toEqual([200, 400])
  })

  it('fails as TIMEOUT when the service hangs past the deadline of every attempt', async () => {
    answers.push(HANG, HANG, HANG)
    const before = server.requests.length
    const hurried = makeHttpTrigger({ http, environment, sleep: () => Effect.void, defaultTimeoutMs: 20 })
    const error = await runError(hurried.start(config(), dailyRun))
    expect(error.category).toBe('TIMEOUT')
    expect(error.message).toMatch(/^trigger request failed: no answer in time/)
    expect(server.requests.length - before).toBe(HTTP_ATTEMPTS)
  })

  it('fails as TRANSIENT when nothing listens', async () => {
    const error = await runError(
      trigger().start({ url: 'http://127.0.0.1:1/jobs', method: 'POST' }, dailyRun),
    )
    expect(error.category).toBe('TRANSIENT')
    expect(error.message).toContain('trigger request failed: connect ECONNREFUSED 127.0.0.1:1')
    expect(delays).toEqual([200, 400])
  })

  it('refuses a private target without the allow-list, permanently and without retrying', async () => {
    const client = guardedHttp()
    const error = await runError(trigger(client).start(config(), dailyRun))
    await client.close()
    expect(error.category).toBe('PERMANENT')
    expect(error.message).toMatch(
      /^trigger request failed: ssrf: connection to 127\.0\.0\.1 blocked \(loopback address\)/,
    )
    expect(delays).toEqual([])
  })

  it('rejects an invalid URL as PERMANENT', async () => {
    const error = await runError(trigger().start({ url: 'not a url', method: 'POST' }, dailyRun))
    expect(error).toMatchObject({
      category: 'PERMANENT',
      message: 'trigger request failed: creating request: "not a url" is not a valid URL',
    })
  })

  it('redacts a secret the server echoes in an error', async () => {
    answers.push({ status: 401, body: 'token good-token is not valid' })
    const error = await runError(
      trigger().start(config({ headers: { Authorization: 'Bearer ${INTERLOCK_TOKEN}' } }), dailyRun),
    )
    expect(error.message).toBe('trigger returned status 401: token [REDACTED] is not valid')
  })

  it('reports running to a status poll and cannot be cancelled', async () => {
    const handle = { externalRunId: 'sync', metadata: {} }
    expect(await run(trigger().status(config(), handle, dailyRun))).toEqual({
      _tag: 'JobRunning',
      message: 'non-polling trigger type',
    })
    expect(await run(trigger().cancel(config(), handle, dailyRun))).toMatchObject({
      _tag: 'CancelNotSupported',
    })
  })
})

describe('retryDelayMs', () => {
  it('doubles from 200 ms, stops at 2 s and spreads ±30 %', () => {
    expect([0, 1, 2, 3, 4].map((retry) => retryDelayMs(retry, 0.5))).toEqual([200, 400, 800, 1600, 2000])
    expect(retryDelayMs(0, 0)).toBeCloseTo(140)
    expect(retryDelayMs(0, 1)).toBeCloseTo(260)
  })
})
