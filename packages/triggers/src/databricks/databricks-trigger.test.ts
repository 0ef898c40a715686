// biome-ignore-all lint/suspicious/noTemplateCurlyInString: configs hold literal `${INTERLOCK_…}` text for the expansion
import { type FakeDatabricks, hang, jsonBody, startFakeDatabricks, statusFault } from '@interlock/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OutboundHttp } from '../outbound/outbound-http.ts'
import { pollJob } from '../poll-job.ts'
import { loopbackHttp } from '../test-http.ts'
import { dailyRun, run, runError } from '../test-support.ts'
import { interlockEnvironment } from '../text/env-expansion.ts'
import { makeDatabricksTrigger } from './databricks-trigger.ts'

let databricks: FakeDatabricks
let secured: FakeDatabricks
let http: OutboundHttp

beforeAll(async () => {
  databricks = await startFakeDatabricks({ jobs: { '12345': 'nightly-orders', '7': 'twin', '8': 'twin' } })
  secured = await startFakeDatabricks({ authorization: 'Bearer databricks-token-value' })
  http = loopbackHttp()
})

afterAll(async () => {
  await http.close()
  await Promise.all([databricks.close(), secured.close()])
})

/** The operator allows DATABRICKS_TOKEN (seed 001's header); SECRET_VAR is set but not allowed. */
const environment = interlockEnvironment(
  { INTERLOCK_TEST_VAR: 'safe', SECRET_VAR: 'leaked', DATABRICKS_TOKEN: 'databricks-token-value' },
  ['DATABRICKS_TOKEN'],
)
const trigger = () => makeDatabricksTrigger({ http, environment })
const config = () => ({ workspaceUrl: `${databricks.url}/`, jobId: '12345' })

const startedRun = async (script: Parameters<FakeDatabricks['runs']['next']>[0]) => {
  databricks.runs.next(script)
  return run(trigger().start(config(), { ...dailyRun, attemptId: `attempt-${databricks.runs.all().length}` }))
}

describe('databricks trigger, start', () => {
  it('runs an existing job by id, idempotently per attempt, and returns the run id', async () => {
    const started = await run(trigger().start({ ...config(), arguments: { day: '{{date}}' } }, dailyRun))
    const request = databricks.requests.at(-1)
    expect(request).toMatchObject({ method: 'POST', path: '/api/2.1/jobs/run-now' })
    expect(request === undefined ? undefined : jsonBody(request)).toEqual({
      job_id: 12345,
      idempotency_token: expect.stringMatching(/^[0-9a-f]{64}$/),
      notebook_params: { day: '2026-03-03' },
    })
    expect(started).toMatchObject({
      externalRunId: expect.stringMatching(/^\d+$/),
      metadata: { databricks_workspace_url: databricks.url, databricks_run_id: started.externalRunId },
      synchronous: false,
    })
  })

  it('looks a job up by name', async () => {
    await run(trigger().start({ ...config(), jobId: 'nightly-orders' }, dailyRun))
    expect(databricks.requests.at(-2)).toMatchObject({ method: 'GET', path: '/api/2.1/jobs/list' })
    expect(databricks.requests.at(-2)?.query.get('name')).toBe('nightly-orders')
    expect(jsonBody(databricks.requests.at(-1) ?? ({ body: '' } as never))).toMatchObject({ job_id: 12345 })
  })

  it('refuses a name no job or several jobs have, as PERMANENT', async () => {
    expect(await runError(trigger().start({ ...config(), jobId: 'nobody' }, dailyRun))).toMatchObject({
      category: 'PERMANENT',
      message: `databricks trigger: no job is named "nobody" in ${databricks.url}; set job.config.jobId to the numeric job id`,
    })
    expect((await runError(trigger().start({ ...config(), jobId: 'twin' }, dailyRun))).message).toContain(
      '2 jobs are named "twin"',
    )
  })

  it('is rejected as PERMANENT on a 4xx', async () => {
    const error = await runError(trigger().start({ ...config(), jobId: '999' }, dailyRun))
    expect(error).toMatchObject({
      category: 'PERMANENT',
      message:
        'databricks trigger: returned status 400: {"error_code":"INVALID_PARAMETER_VALUE","message":"Job 999 does not exist."}',
    })
  })

  it('fails as TRANSIENT on a 5xx and as TIMEOUT without an answer', async () => {
    databricks.faults.next('run-now', statusFault(500, 'INTERNAL_ERROR', 'boom'), hang)
    expect(await runError(trigger().start(config(), dailyRun))).toMatchObject({
      category: 'TRANSIENT',
      message: 'databricks trigger: returned status 500: boom',
    })
    const hurried = makeDatabricksTrigger({ http, environment, defaultTimeoutMs: 20 })
    const timedOut = await runError(hurried.start(config(), dailyRun))
    expect(timedOut.category).toBe('TIMEOUT')
    expect(timedOut.message).toMatch(/^databricks trigger: request failed: no answer in time/)
  })

  it("sends seed 001's header with the operator-allowed variable expanded, in start and status alike", async () => {
    const base = {
      workspaceUrl: secured.url,
      jobId: '123',
      headers: { Authorization: 'Bearer ${DATABRICKS_TOKEN}' },
    }
    const started = await run(trigger().start(base, dailyRun))
    await run(trigger().status(base, started, dailyRun))
    expect(secured.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer databricks-token-value',
      'Bearer databricks-token-value',
    ])
  })

  it('refuses a variable the operator has not allowed as PERMANENT before any request, naming it and how to allow it', async () => {
    const before = secured.requests.length
    const error = await runError(
      trigger().start(
        { workspaceUrl: secured.url, jobId: '123', headers: { Authorization: 'Bearer ${SECRET_VAR}' } },
        dailyRun,
      ),
    )
    expect(error.category).toBe('PERMANENT')
    expect(error.message).toBe(
      "databricks trigger: job.config.headers.Authorization reads ${SECRET_VAR}, which job configs may not read (only INTERLOCK_ variables and those the operator allows expand); allow it with env: [SECRET_VAR] in interlock.yaml or INTERLOCK_JOB_ENV=SECRET_VAR in the processor's environment",
    )
    expect(secured.requests.length).toBe(before)
  })
})

describe('databricks trigger, status', () => {
  it('follows a run from PENDING to TERMINATED/SUCCESS', async () => {
    const started = await startedRun({ states: ['PENDING', 'RUNNING', 'TERMINATED/SUCCESS'] })
    expect(await run(trigger().status(config(), started, dailyRun))).toEqual({
      _tag: 'JobRunning',
      message: 'PENDING',
    })
    expect(await run(trigger().status(config(), started, dailyRun))).toEqual({
      _tag: 'JobRunning',
      message: 'RUNNING',
    })
    expect(await run(trigger().status(config(), started, dailyRun))).toEqual({
      _tag: 'JobSucceeded',
      message: 'TERMINATED/SUCCESS',
    })
    expect(databricks.requests.at(-1)?.path).toBe('/api/2.1/jobs/runs/get')
    expect(databricks.requests.at(-1)?.query.get('run_id')).toBe(started.externalRunId)
  })

  it.each([
    ['TERMINATED/FAILED', 'TRANSIENT'],
    ['TERMINATED/TIMEDOUT', 'TRANSIENT'],
    ['TERMINATED/CANCELED', 'TRANSIENT'],
    ['TERMINATED', 'TRANSIENT'],
    ['INTERNAL_ERROR', 'TRANSIENT'],
    ['SKIPPED', 'PERMANENT'],
  ] as const)('reports %s as a %s failure', async (state, category) => {
    const started = await startedRun({ states: [state] })
    expect(await run(trigger().status(config(), started, dailyRun))).toEqual({
      _tag: 'JobFailed',
      message: state,
      category,
    })
  })

  it('reports running for missing metadata', async () => {
    for (const metadata of [{}, { databricks_run_id: '1' }, { databricks_workspace_url: databricks.url }]) {
      expect(await run(trigger().status(config(), { externalRunId: 'x', metadata }, dailyRun))).toEqual({
        _tag: 'JobRunning',
        message: 'missing databricks metadata',
      })
    }
  })

  it('fails on a 500', async () => {
    const started = await startedRun({ states: ['RUNNING'] })
    databricks.faults.next('runs/get', statusFault(500, 'INTERNAL_ERROR', 'oops'))
    expect(await runError(trigger().status(config(), started, dailyRun))).toMatchObject({
      category: 'TRANSIENT',
      message: 'databricks status: returned status 500: oops',
    })
  })
})

describe('databricks trigger, poll window and cancel', () => {
  it('cancels a run still running at the end of the window', async () => {
    const started = await startedRun({ states: ['RUNNING'] })
    const outcome = await run(
      pollJob(trigger(), config(), started, dailyRun, { elapsedSeconds: 61, pollWindowSeconds: 60 }),
    )
    expect(outcome).toMatchObject({ _tag: 'PollWindowExhausted', cancellation: { _tag: 'CancelRequested' } })
    expect(databricks.requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/2.1/jobs/runs/cancel' })
    expect(await run(trigger().status(config(), started, dailyRun))).toEqual({
      _tag: 'JobFailed',
      message: 'TERMINATED/CANCELED',
      category: 'TRANSIENT',
    })
  })
})
