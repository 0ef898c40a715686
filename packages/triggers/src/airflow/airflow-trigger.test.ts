// biome-ignore-all lint/suspicious/noTemplateCurlyInString: configs hold literal `${INTERLOCK_…}` text for the expansion
import { type FakeAirflow, hang, jsonBody, startFakeAirflow, statusFault } from '@interlock/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OutboundHttp } from '../outbound/outbound-http.ts'
import { pollJob } from '../poll-job.ts'
import { guardedHttp, loopbackHttp } from '../test-http.ts'
import { dailyRun, run, runError } from '../test-support.ts'
import { interlockEnvironment } from '../text/env-expansion.ts'
import { airflowApiRoot, makeAirflowTrigger } from './airflow-trigger.ts'

let airflow: FakeAirflow
let secured: FakeAirflow
let http: OutboundHttp

beforeAll(async () => {
  airflow = await startFakeAirflow()
  secured = await startFakeAirflow({ authorization: 'Bearer airflow-token-value' })
  http = loopbackHttp()
})

afterAll(async () => {
  await http.close()
  await Promise.all([airflow.close(), secured.close()])
})

/** The operator allows AIRFLOW_TOKEN (seed 001's header); SECRET_VAR is set but not allowed. */
const environment = interlockEnvironment(
  {
    INTERLOCK_TEST_VAR: 'safe',
    SECRET_VAR: 'leaked',
    INTERLOCK_TOKEN: 'test-token',
    AIRFLOW_TOKEN: 'airflow-token-value',
  },
  ['AIRFLOW_TOKEN'],
)
const trigger = () => makeAirflowTrigger({ http, environment })
const config = () => ({ url: airflow.url, dagId: 'my_dag' })

const startedRun = async (script: Parameters<FakeAirflow['runs']['next']>[0], base = config()) => {
  airflow.runs.next(script)
  return run(trigger().start(base, dailyRun))
}

describe('airflow trigger, start', () => {
  it('triggers a DAG run through REST v1 and returns its run id', async () => {
    const started = await run(trigger().start(config(), dailyRun))
    const request = airflow.requests.at(-1)
    expect(request).toMatchObject({ method: 'POST', path: '/api/v1/dags/my_dag/dagRuns', body: '{}' })
    expect(started.metadata).toEqual({
      airflow_dag_run_id: started.externalRunId,
      airflow_dag_id: 'my_dag',
      airflow_url: airflow.url,
    })
    expect(started.externalRunId).toMatch(/^manual__/)
  })

  it('speaks REST v2 when the URL names it, sending a null logical date', async () => {
    await run(
      trigger().start({ ...config(), url: `${airflow.url}/api/v2/`, body: '{"day":"{{date}}"}' }, dailyRun),
    )
    const request = airflow.requests.at(-1)
    expect(request?.path).toBe('/api/v2/dags/my_dag/dagRuns')
    expect(request === undefined ? undefined : jsonBody(request)).toEqual({
      conf: { day: '2026-03-03' },
      logical_date: null,
    })
  })

  it('sends the body as conf', async () => {
    await run(trigger().start({ ...config(), body: '{"key": "value"}' }, dailyRun))
    expect(airflow.requests.at(-1)?.body).toBe('{"conf":{"key":"value"}}')
  })

  it("sends seed 001's header with the operator-allowed variable expanded, in start and status alike", async () => {
    const base = {
      url: secured.url,
      dagId: 'my_dag',
      headers: { Authorization: 'Bearer ${AIRFLOW_TOKEN}' },
      body: '{"safe":"${INTERLOCK_TEST_VAR}"}',
    }
    const started = await run(trigger().start(base, dailyRun))
    expect(jsonBody(secured.requests.at(-1) ?? ({ body: '' } as never))).toEqual({ conf: { safe: 'safe' } })
    expect(await run(trigger().status(base, started, dailyRun))).toEqual({
      _tag: 'JobRunning',
      message: 'running',
    })
    expect(secured.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer airflow-token-value',
      'Bearer airflow-token-value',
    ])
  })

  it('refuses a variable the operator has not allowed as PERMANENT before any request, naming it and how to allow it', async () => {
    const before = secured.requests.length
    const header = await runError(
      trigger().start(
        { url: secured.url, dagId: 'my_dag', headers: { Authorization: 'Bearer ${SECRET_VAR}' } },
        dailyRun,
      ),
    )
    expect(header.category).toBe('PERMANENT')
    expect(header.message).toBe(
      "airflow trigger: job.config.headers.Authorization reads ${SECRET_VAR}, which job configs may not read (only INTERLOCK_ variables and those the operator allows expand); allow it with env: [SECRET_VAR] in interlock.yaml or INTERLOCK_JOB_ENV=SECRET_VAR in the processor's environment",
    )
    const body = await runError(trigger().start({ ...config(), body: '{"dsn":"$DATABASE_URL"}' }, dailyRun))
    expect(body.message).toMatch(/^airflow trigger: job\.config\.body reads \$\{DATABASE_URL\}, which/)
    expect(`${header.message}${body.message}`).not.toContain('leaked')
    expect(secured.requests.length).toBe(before)
  })

  it('refuses an invalid body before any request, as PERMANENT', async () => {
    const before = airflow.requests.length
    const error = await runError(trigger().start({ ...config(), body: '{invalid json' }, dailyRun))
    expect(error.category).toBe('PERMANENT')
    expect(error.message).toMatch(
      /^airflow trigger: invalid body JSON: .*; job\.config\.body must be JSON text$/,
    )
    expect(airflow.requests.length).toBe(before)
  })

  it('is rejected as PERMANENT on a 4xx, naming status and body', async () => {
    const error = await runError(trigger().start({ ...config(), dagId: 'missing_dag' }, dailyRun))
    expect(error.category).toBe('PERMANENT')
    expect(error.message).toBe(
      'airflow trigger: returned status 404: {"status":404,"title":"DAG not found","detail":"DAG with dag_id: \'missing_dag\' not found","type":"about:blank"}',
    )
    const unauthorized = await runError(trigger().start({ url: secured.url, dagId: 'my_dag' }, dailyRun))
    expect(unauthorized.category).toBe('PERMANENT')
    expect(unauthorized.message).toContain('returned status 401')
  })

  it('fails as TRANSIENT on a 5xx and as TIMEOUT when Airflow does not answer', async () => {
    airflow.faults.next('triggerDagRun', statusFault(500, 'InternalError', 'scheduler down'))
    const serverError = await runError(trigger().start(config(), dailyRun))
    expect(serverError).toMatchObject({
      category: 'TRANSIENT',
      message: 'airflow trigger: returned status 500: scheduler down',
    })
    airflow.faults.next('triggerDagRun', hang)
    const hurried = makeAirflowTrigger({ http, environment, defaultTimeoutMs: 20 })
    const timedOut = await runError(hurried.start(config(), dailyRun))
    expect(timedOut.category).toBe('TIMEOUT')
    expect(timedOut.message).toMatch(/^airflow trigger: request failed: no answer in time/)
  })

  it('refuses an Airflow on a private address unless it is allow-listed', async () => {
    const guarded = guardedHttp()
    const error = await runError(makeAirflowTrigger({ http: guarded, environment }).start(config(), dailyRun))
    await guarded.close()
    expect(error.category).toBe('PERMANENT')
    expect(error.message).toMatch(
      /^airflow trigger: request failed: ssrf: connection to 127\.0\.0\.1 blocked/,
    )
  })

  it('fails when the answer has no dag_run_id', async () => {
    airflow.runs.next({ states: ['running'], details: { omitRunId: true } })
    expect(await runError(trigger().start(config(), dailyRun))).toMatchObject({
      category: 'TRANSIENT',
      message: 'airflow trigger: response missing dag_run_id',
    })
  })

  it('accepts a custom timeout', async () => {
    expect((await run(trigger().start({ ...config(), timeout: 60 }, dailyRun))).externalRunId).not.toBe('')
  })
})

describe('airflow trigger, status', () => {
  it('follows a DAG run from queued to success', async () => {
    const started = await startedRun({ states: ['queued', 'running', 'success'] })
    expect(await run(trigger().status(config(), started, dailyRun))).toEqual({
      _tag: 'JobRunning',
      message: 'queued',
    })
    expect(await run(trigger().status(config(), started, dailyRun))).toEqual({
      _tag: 'JobRunning',
      message: 'running',
    })
    expect(await run(trigger().status(config(), started, dailyRun))).toEqual({
      _tag: 'JobSucceeded',
      message: 'success',
    })
    expect(airflow.requests.at(-1)?.path).toBe(
      `/api/v1/dags/my_dag/dagRuns/${encodeURIComponent(started.externalRunId)}`,
    )
  })

  it('reports failed as a TRANSIENT failure and up_for_retry as running', async () => {
    const failedRun = await startedRun({ states: ['failed'] })
    expect(await run(trigger().status(config(), failedRun, dailyRun))).toEqual({
      _tag: 'JobFailed',
      message: 'failed',
      category: 'TRANSIENT',
    })
    const retrying = await startedRun({ states: ['up_for_retry'] })
    expect(await run(trigger().status(config(), retrying, dailyRun))).toEqual({
      _tag: 'JobRunning',
      message: 'up_for_retry',
    })
  })

  it('reports running for missing metadata', async () => {
    for (const metadata of [{}, { airflow_url: airflow.url }]) {
      expect(await run(trigger().status(config(), { externalRunId: 'x', metadata }, dailyRun))).toEqual({
        _tag: 'JobRunning',
        message: 'missing airflow metadata',
      })
    }
  })

  it('fails on a 500 and on an answer without state', async () => {
    const started = await startedRun({ states: ['running'] })
    airflow.faults.next('getDagRun', statusFault(500, 'InternalError', 'oops'))
    expect((await runError(trigger().status(config(), started, dailyRun))).message).toBe(
      'airflow status: returned status 500: oops',
    )
    const stateless = await startedRun({ states: ['running'], details: { omitState: true } })
    expect((await runError(trigger().status(config(), stateless, dailyRun))).message).toBe(
      'airflow status: response missing state field',
    )
  })
})

describe('airflow trigger, poll window and cancel', () => {
  it('marks a DAG run still running at the end of the window failed', async () => {
    const started = await startedRun({ states: ['running'] })
    const outcome = await run(
      pollJob(trigger(), config(), started, dailyRun, { elapsedSeconds: 60, pollWindowSeconds: 60 }),
    )
    expect(outcome).toMatchObject({
      _tag: 'PollWindowExhausted',
      cancellation: { _tag: 'CancelRequested', message: `marked DAG run ${started.externalRunId} failed` },
    })
    expect(airflow.requests.at(-1)).toMatchObject({ method: 'PATCH', body: '{"state":"failed"}' })
    expect(await run(trigger().status(config(), started, dailyRun))).toMatchObject({ _tag: 'JobFailed' })
  })
})

describe('airflowApiRoot', () => {
  it.each([
    ['https://airflow.example.com', 'https://airflow.example.com/api/v1', 'v1'],
    ['https://airflow.example.com/', 'https://airflow.example.com/api/v1', 'v1'],
    ['https://airflow.example.com/api/v1/', 'https://airflow.example.com/api/v1', 'v1'],
    ['https://airflow.example.com/api/v2', 'https://airflow.example.com/api/v2', 'v2'],
  ])('reads %s as %s', (url, root, version) => {
    expect(airflowApiRoot(url)).toEqual({ root, version })
  })
})
