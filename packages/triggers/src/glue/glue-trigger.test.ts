import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { GlueClient } from '@aws-sdk/client-glue'
import {
  type FakeCloudWatchLogs,
  type FakeGlue,
  fakeAwsClientConfig,
  hang,
  immediateRetryStrategy,
  startFakeCloudWatchLogs,
  startFakeGlue,
  statusFault,
  throttled,
  unavailable,
} from '@interlock/test'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { pollJob } from '../poll-job.ts'
import { dailyRun, hourlyRun, run, runError } from '../test-support.ts'
import { extractGlueFailureReason } from './glue-false-success.ts'
import { makeGlueTrigger } from './glue-trigger.ts'

let glue: FakeGlue
let logs: FakeCloudWatchLogs
let glueClient: GlueClient
let logsClient: CloudWatchLogsClient

beforeAll(async () => {
  glue = await startFakeGlue()
  logs = await startFakeCloudWatchLogs()
  glueClient = new GlueClient(fakeAwsClientConfig(glue.url))
  logsClient = new CloudWatchLogsClient(fakeAwsClientConfig(logs.url))
})

afterAll(async () => {
  glueClient.destroy()
  logsClient.destroy()
  await Promise.all([glue.close(), logs.close()])
})

beforeEach(() => {
  glue.runs.setDefault({ states: ['RUNNING', 'SUCCEEDED'] })
})

const trigger = () => makeGlueTrigger({ glue: glueClient, logs: logsClient })
const config = { jobName: 'my-etl-job' }

const startedRun = async (states: Parameters<FakeGlue['runs']['next']>[0]) => {
  glue.runs.next(states)
  return run(trigger().start(config, dailyRun))
}

describe('glue trigger, start', () => {
  it('starts the job with --par_day and returns the run id as handle', async () => {
    const started = await run(
      trigger().start({ jobName: 'my-etl-job', arguments: { '--env': 'prod' } }, dailyRun),
    )
    expect(started.synchronous).toBe(false)
    expect(started.metadata).toEqual({ glue_job_name: 'my-etl-job', glue_job_run_id: started.externalRunId })
    expect(started.externalRunId).toMatch(/^jr_/)
    expect(glue.calls('StartJobRun').at(-1)).toEqual({
      JobName: 'my-etl-job',
      Arguments: { '--env': 'prod', '--par_day': '20260303' },
    })
  })

  it('adds --par_hour for an hourly period and keeps date arguments the user set', async () => {
    await run(
      trigger().start({ jobName: 'hourly-{{pipelineId}}', arguments: { '--day': '{{date}}' } }, hourlyRun),
    )
    expect(glue.calls('StartJobRun').at(-1)).toEqual({
      JobName: 'hourly-clickstream-hourly',
      Arguments: { '--day': '2026-03-06', '--par_day': '20260306', '--par_hour': '16' },
    })
    await run(
      trigger().start(
        { jobName: 'j', arguments: { '--par_day': 'mine', '--par_hour': '{{hour}}' } },
        hourlyRun,
      ),
    )
    expect(glue.calls('StartJobRun').at(-1)).toEqual({
      JobName: 'j',
      Arguments: { '--par_day': 'mine', '--par_hour': '16' },
    })
  })

  it('is rejected as PERMANENT when the job does not exist (4xx)', async () => {
    const error = await runError(trigger().start({ jobName: 'missing-job' }, dailyRun))
    expect(error.category).toBe('PERMANENT')
    expect(error.message).toBe(
      'glue trigger: StartJobRun failed: EntityNotFoundException: Failed to start job run due to missing metadata: missing-job',
    )
  })

  it('is rejected as PERMANENT on AccessDenied and Validation errors', async () => {
    glue.faults.next('StartJobRun', statusFault(400, 'AccessDeniedException', 'not allowed'))
    glue.faults.next('StartJobRun', statusFault(400, 'ValidationException', 'bad argument'))
    expect((await runError(trigger().start(config, dailyRun))).category).toBe('PERMANENT')
    expect((await runError(trigger().start(config, dailyRun))).category).toBe('PERMANENT')
  })

  it('fails as TRANSIENT on a 5xx and on throttling', async () => {
    glue.faults.next('StartJobRun', unavailable, throttled)
    const serverError = await runError(trigger().start(config, dailyRun))
    expect(serverError.category).toBe('TRANSIENT')
    expect(serverError.message).toContain('StartJobRun failed: ServiceUnavailableException')
    expect((await runError(trigger().start(config, dailyRun))).category).toBe('TRANSIENT')
  })

  it('starts after two 5xx answers when the client retries', async () => {
    const retrying = new GlueClient({
      ...fakeAwsClientConfig(glue.url),
      retryStrategy: immediateRetryStrategy(3),
    })
    glue.faults.next('StartJobRun', unavailable, unavailable)
    const before = glue.calls('StartJobRun').length
    const started = await run(makeGlueTrigger({ glue: retrying, logs: undefined }).start(config, dailyRun))
    retrying.destroy()
    expect(started.externalRunId).toMatch(/^jr_/)
    expect(glue.calls('StartJobRun').length - before).toBe(3)
  })

  it('fails as TRANSIENT when the service cannot be reached', async () => {
    const unreachable = new GlueClient(fakeAwsClientConfig('http://127.0.0.1:1'))
    const error = await runError(
      makeGlueTrigger({ glue: unreachable, logs: undefined }).start(config, dailyRun),
    )
    unreachable.destroy()
    expect(error.category).toBe('TRANSIENT')
    expect(error.message).toMatch(/^glue trigger: StartJobRun failed: .*ECONNREFUSED/)
  })

  it('fails as TIMEOUT when the service does not answer', async () => {
    glue.faults.next('StartJobRun', hang)
    const error = await runError(
      makeGlueTrigger({ glue: glueClient, logs: undefined, callTimeoutMs: 20 }).start(config, dailyRun),
    )
    expect(error.category).toBe('TIMEOUT')
    expect(error.message).toBe('glue trigger: StartJobRun failed: no answer within 20 ms')
  })
})

describe('glue trigger, status', () => {
  it('follows a run from RUNNING to SUCCEEDED', async () => {
    const started = await startedRun({ states: ['STARTING', 'RUNNING', 'SUCCEEDED'] })
    expect(await run(trigger().status(config, started, dailyRun))).toEqual({
      _tag: 'JobRunning',
      message: 'STARTING',
    })
    expect(await run(trigger().status(config, started, dailyRun))).toEqual({
      _tag: 'JobRunning',
      message: 'RUNNING',
    })
    expect(await run(trigger().status(config, started, dailyRun))).toEqual({
      _tag: 'JobSucceeded',
      message: 'SUCCEEDED',
    })
  })

  it.each([
    ['FAILED', 'TRANSIENT'],
    ['STOPPED', 'TRANSIENT'],
    ['ERROR', 'TRANSIENT'],
    ['TIMEOUT', 'TIMEOUT'],
    ['EXPIRED', 'TIMEOUT'],
  ] as const)('reports %s as a %s failure', async (state, category) => {
    const started = await startedRun({ states: [state] })
    expect(await run(trigger().status(config, started, dailyRun))).toEqual({
      _tag: 'JobFailed',
      message: state,
      category,
    })
  })

  it('adds the run error message to a failure', async () => {
    const started = await startedRun({ states: ['FAILED'], details: { errorMessage: 'OutOfMemoryError' } })
    expect(await run(trigger().status(config, started, dailyRun))).toEqual({
      _tag: 'JobFailed',
      message: 'FAILED: OutOfMemoryError',
      category: 'TRANSIENT',
    })
  })

  it.each(['RUNNING', 'STARTING', 'WAITING', 'STOPPING'] as const)('reports %s as running', async (state) => {
    const started = await startedRun({ states: [state] })
    expect(await run(trigger().status(config, started, dailyRun))).toEqual({
      _tag: 'JobRunning',
      message: state,
    })
  })

  it('reports running for a handle without Glue metadata', async () => {
    expect(await run(trigger().status(config, { externalRunId: 'x', metadata: {} }, dailyRun))).toEqual({
      _tag: 'JobRunning',
      message: 'missing glue metadata',
    })
  })

  it('fails when GetJobRun answers without a JobRun', async () => {
    const started = await startedRun({ states: ['RUNNING'], details: { omitJobRun: true } })
    const error = await runError(trigger().status(config, started, dailyRun))
    expect(error.message).toBe(`glue status: GetJobRun returned nil JobRun for ${started.externalRunId}`)
  })

  it('fails as TRANSIENT when GetJobRun is throttled', async () => {
    const started = await startedRun({ states: ['RUNNING'] })
    glue.faults.next('GetJobRun', throttled)
    const error = await runError(trigger().status(config, started, dailyRun))
    expect(error.category).toBe('TRANSIENT')
    expect(error.message).toBe('glue status: GetJobRun failed: ThrottlingException: Rate exceeded')
  })
})

describe('glue trigger, false-success check (T5)', () => {
  it('downgrades SUCCEEDED when the RCA stream reports a failure', async () => {
    const started = await startedRun({ states: ['SUCCEEDED'] })
    logs.put(
      '/aws-glue/jobs/logs-v2',
      `${started.externalRunId}-job-insights-rca-driver`,
      '{"Event":"GlueExceptionAnalysisJobFailed","Failure Reason":"No space left on device","Job Result":"JobFailed"}',
    )
    expect(await run(trigger().status(config, started, dailyRun))).toEqual({
      _tag: 'JobFailed',
      message: 'SUCCEEDED (RCA: No space left on device)',
      category: 'TRANSIENT',
    })
  })

  it('says RCA: JobFailed when the RCA event has no reason', async () => {
    const started = await startedRun({ states: ['SUCCEEDED'] })
    logs.put(
      '/aws-glue/jobs/logs-v2',
      `${started.externalRunId}-job-insights-rca-driver`,
      'GlueExceptionAnalysisJobFailed',
    )
    expect(await run(trigger().status(config, started, dailyRun))).toMatchObject({
      message: 'SUCCEEDED (RCA: JobFailed)',
    })
  })

  it('keeps SUCCEEDED when both streams are clean, after exactly two queries', async () => {
    const started = await startedRun({ states: ['SUCCEEDED'] })
    logs.put('/aws-glue/jobs/logs-v2', started.externalRunId, '26/03/03 06:00:01 INFO Executor: done')
    const before = logs.calls('FilterLogEvents').length
    expect(await run(trigger().status(config, started, dailyRun))).toEqual({
      _tag: 'JobSucceeded',
      message: 'SUCCEEDED',
    })
    expect(logs.calls('FilterLogEvents').slice(before)).toEqual([
      {
        logGroupName: '/aws-glue/jobs/logs-v2',
        logStreamNames: [`${started.externalRunId}-job-insights-rca-driver`],
        filterPattern: 'GlueExceptionAnalysisJobFailed',
        limit: 1,
      },
      {
        logGroupName: '/aws-glue/jobs/logs-v2',
        logStreamNames: [started.externalRunId],
        filterPattern: '?" ERROR " ?" FATAL "',
        limit: 1,
      },
    ])
  })

  it.each(['ERROR', 'FATAL'])('downgrades SUCCEEDED on a driver %s line', async (severity) => {
    const started = await startedRun({ states: ['SUCCEEDED'] })
    logs.put(
      '/aws-glue/jobs/logs-v2',
      started.externalRunId,
      `26/03/03 06:00:01 ${severity} Executor: lost task`,
    )
    expect(await run(trigger().status(config, started, dailyRun))).toEqual({
      _tag: 'JobFailed',
      message: `SUCCEEDED (driver log: 26/03/03 06:00:01 ${severity} Executor: lost task)`,
      category: 'TRANSIENT',
    })
  })

  it("queries the run's own log group", async () => {
    const started = await startedRun({ states: ['SUCCEEDED'], details: { logGroupName: '/custom/glue' } })
    logs.put('/custom/glue', started.externalRunId, 'x FATAL y')
    const before = logs.calls('FilterLogEvents').length
    expect(await run(trigger().status(config, started, dailyRun))).toMatchObject({ _tag: 'JobFailed' })
    expect(
      logs
        .calls('FilterLogEvents')
        .slice(before)
        .map((call) => call.logGroupName),
    ).toEqual(['/custom/glue', '/custom/glue'])
  })

  it('trusts SUCCEEDED when the log queries fail', async () => {
    const started = await startedRun({ states: ['SUCCEEDED'] })
    logs.faults.next('FilterLogEvents', unavailable, statusFault(400, 'AccessDeniedException', 'no'))
    expect(await run(trigger().status(config, started, dailyRun))).toEqual({
      _tag: 'JobSucceeded',
      message: 'SUCCEEDED',
    })
  })

  it('trusts SUCCEEDED without a CloudWatch Logs client', async () => {
    const started = await startedRun({ states: ['SUCCEEDED'] })
    const withoutLogs = makeGlueTrigger({ glue: glueClient, logs: undefined })
    expect(await run(withoutLogs.status(config, started, dailyRun))).toEqual({
      _tag: 'JobSucceeded',
      message: 'SUCCEEDED',
    })
  })

  it.each([
    [
      '{"Event":"GlueExceptionAnalysisJobFailed","Failure Reason":"No space left on device","Job Result":"JobFailed"}',
      'No space left on device',
    ],
    ['{"Event":"GlueExceptionAnalysisJobFailed"}', ''],
    ['', ''],
  ])('extracts the failure reason of %j', (message, reason) => {
    expect(extractGlueFailureReason(message)).toBe(reason)
  })
})

describe('glue trigger, poll window and cancel', () => {
  it('cancels a run that hangs past the poll window, and the run then reads STOPPED', async () => {
    const started = await startedRun({ states: ['RUNNING'] })
    const window = { pollWindowSeconds: 180 }
    expect(
      await run(pollJob(trigger(), config, started, dailyRun, { ...window, elapsedSeconds: 60 })),
    ).toEqual({
      _tag: 'JobRunning',
      message: 'RUNNING',
    })
    expect(
      await run(pollJob(trigger(), config, started, dailyRun, { ...window, elapsedSeconds: 180 })),
    ).toEqual({
      _tag: 'PollWindowExhausted',
      message: 'job poll window exhausted: still running after 180s of 180s',
      category: 'TIMEOUT',
      cancellation: {
        _tag: 'CancelRequested',
        message: `stop requested for Glue run ${started.externalRunId}`,
      },
    })
    expect(glue.calls('BatchStopJobRun').at(-1)).toEqual({
      JobName: 'my-etl-job',
      JobRunIds: [started.externalRunId],
    })
    expect(await run(trigger().status(config, started, dailyRun))).toEqual({
      _tag: 'JobFailed',
      message: 'STOPPED',
      category: 'TRANSIENT',
    })
  })
})
