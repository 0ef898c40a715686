import { EMRServerlessClient } from '@aws-sdk/client-emr-serverless'
import {
  type FakeEmrServerless,
  fakeAwsClientConfig,
  hang,
  immediateRetryStrategy,
  startFakeEmrServerless,
  statusFault,
  throttled,
  unavailable,
} from '@interlock/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pollJob } from '../poll-job.ts'
import { dailyRun, run, runError } from '../test-support.ts'
import { makeEmrServerlessTrigger } from './emr-serverless-trigger.ts'

let fake: FakeEmrServerless
let client: EMRServerlessClient

beforeAll(async () => {
  fake = await startFakeEmrServerless()
  client = new EMRServerlessClient(fakeAwsClientConfig(fake.url))
})

afterAll(async () => {
  client.destroy()
  await fake.close()
})

const trigger = () => makeEmrServerlessTrigger({ emrServerless: client })
const config = {
  applicationId: 'app-123',
  jobName: 'orders-{{date}}',
  executionRoleArn: 'arn:aws:iam::1:role/emr',
}

const startedRun = async (script: Parameters<FakeEmrServerless['runs']['next']>[0]) => {
  fake.runs.next(script)
  return run(trigger().start(config, { ...dailyRun, attemptId: `attempt-${fake.runs.all().length + 10}` }))
}

describe('emr-serverless trigger, start', () => {
  it('starts a job run with its role and driver and returns the run id', async () => {
    const started = await run(
      trigger().start(
        { ...config, entryPoint: 's3://code/main.py', entryPointArguments: ['--day', '{{date}}'] },
        dailyRun,
      ),
    )
    expect(started.metadata).toEqual({
      emr_sl_application_id: 'app-123',
      emr_sl_job_run_id: started.externalRunId,
    })
    const request = fake.requests.at(-1)
    expect(request?.path).toBe('/applications/app-123/jobruns')
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({
      name: 'orders-2026-03-03',
      executionRoleArn: 'arn:aws:iam::1:role/emr',
      jobDriver: {
        sparkSubmit: { entryPoint: 's3://code/main.py', entryPointArguments: ['--day', '2026-03-03'] },
      },
    })
  })

  it('starts one job run per attempt, however often the start is repeated', async () => {
    const context = { ...dailyRun, attemptId: 'attempt-repeated' }
    const first = await run(trigger().start(config, context))
    const second = await run(trigger().start(config, context))
    const other = await run(trigger().start(config, { ...context, attemptId: 'attempt-next' }))
    expect(second.externalRunId).toBe(first.externalRunId)
    expect(other.externalRunId).not.toBe(first.externalRunId)
  })

  it('refuses a job without an execution role before calling AWS', async () => {
    const before = fake.requests.length
    const error = await runError(trigger().start({ applicationId: 'app-123', jobName: 'orders' }, dailyRun))
    expect(error.category).toBe('PERMANENT')
    expect(error.message).toBe(
      'emr-serverless trigger: job orders has no executionRoleArn; EMR Serverless runs every job under an IAM ' +
        'role, so add job.config.executionRoleArn',
    )
    expect(fake.requests.length).toBe(before)
  })

  it('is rejected as PERMANENT for an unknown application (4xx)', async () => {
    const error = await runError(trigger().start({ ...config, applicationId: 'missing-app' }, dailyRun))
    expect(error.category).toBe('PERMANENT')
    expect(error.message).toBe(
      'emr-serverless trigger: StartJobRun failed: ResourceNotFoundException: Application missing-app does not exist',
    )
  })

  it('fails as TRANSIENT on a 5xx or throttling, and as TIMEOUT without an answer', async () => {
    fake.faults.next('StartJobRun', unavailable, throttled, hang)
    expect((await runError(trigger().start(config, dailyRun))).category).toBe('TRANSIENT')
    expect((await runError(trigger().start(config, dailyRun))).category).toBe('TRANSIENT')
    const slow = makeEmrServerlessTrigger({ emrServerless: client, callTimeoutMs: 20 })
    expect((await runError(slow.start(config, dailyRun))).category).toBe('TIMEOUT')
  })

  it('starts after two 5xx answers when the client retries', async () => {
    const retrying = new EMRServerlessClient({
      ...fakeAwsClientConfig(fake.url),
      retryStrategy: immediateRetryStrategy(3),
    })
    fake.faults.next('StartJobRun', unavailable, unavailable)
    const started = await run(
      makeEmrServerlessTrigger({ emrServerless: retrying }).start(config, {
        ...dailyRun,
        attemptId: 'after-5xx',
      }),
    )
    retrying.destroy()
    expect(started.externalRunId).not.toBe('')
  })
})

describe('emr-serverless trigger, status', () => {
  it('follows a run from SUBMITTED to SUCCESS', async () => {
    const started = await startedRun({ states: ['SUBMITTED', 'SCHEDULED', 'RUNNING', 'SUCCESS'] })
    for (const state of ['SUBMITTED', 'SCHEDULED', 'RUNNING']) {
      expect(await run(trigger().status(config, started, dailyRun))).toEqual({
        _tag: 'JobRunning',
        message: state,
      })
    }
    expect(await run(trigger().status(config, started, dailyRun))).toEqual({
      _tag: 'JobSucceeded',
      message: 'SUCCESS',
    })
  })

  it.each(['FAILED', 'CANCELLED'] as const)('reports %s as a TRANSIENT failure', async (state) => {
    const started = await startedRun({ states: [state], details: { stateDetails: 'Job failed, exit 1' } })
    expect(await run(trigger().status(config, started, dailyRun))).toEqual({
      _tag: 'JobFailed',
      message: `${state}: Job failed, exit 1`,
      category: 'TRANSIENT',
    })
  })

  it.each(['PENDING', 'QUEUED', 'CANCELLING'] as const)('reports %s as running', async (state) => {
    const started = await startedRun({ states: [state] })
    expect(await run(trigger().status(config, started, dailyRun))).toEqual({
      _tag: 'JobRunning',
      message: state,
    })
  })

  it('reports running for missing metadata', async () => {
    expect(
      await run(
        trigger().status(config, { externalRunId: 'x', metadata: { emr_sl_job_run_id: 'r' } }, dailyRun),
      ),
    ).toEqual({
      _tag: 'JobRunning',
      message: 'missing emr-serverless metadata',
    })
  })

  it('fails on an API error and on an answer without a job run', async () => {
    const started = await startedRun({ states: ['RUNNING'] })
    fake.faults.next('GetJobRun', statusFault(500, 'InternalServerException', 'boom'))
    const error = await runError(trigger().status(config, started, dailyRun))
    expect(error.message).toBe('emr-serverless status: GetJobRun failed: InternalServerException: boom')
    expect(error.category).toBe('TRANSIENT')
    const empty = await startedRun({ states: ['RUNNING'], details: { omitJobRun: true } })
    expect((await runError(trigger().status(config, empty, dailyRun))).message).toContain(
      'returned nil JobRun',
    )
  })
})

describe('emr-serverless trigger, poll window and cancel', () => {
  it('cancels a run still running when the window closes', async () => {
    const started = await startedRun({ states: ['RUNNING'] })
    const outcome = await run(
      pollJob(trigger(), config, started, dailyRun, { elapsedSeconds: 120, pollWindowSeconds: 60 }),
    )
    expect(outcome).toMatchObject({ _tag: 'PollWindowExhausted', category: 'TIMEOUT' })
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'DELETE',
      path: `/applications/app-123/jobruns/${started.externalRunId}`,
    })
    expect(await run(trigger().status(config, started, dailyRun))).toMatchObject({
      _tag: 'JobFailed',
      message: 'CANCELLED',
    })
  })
})
