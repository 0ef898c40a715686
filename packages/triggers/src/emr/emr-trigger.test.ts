import { EMRClient } from '@aws-sdk/client-emr'
import {
  type FakeEmr,
  fakeAwsClientConfig,
  hang,
  immediateRetryStrategy,
  startFakeEmr,
  statusFault,
  throttled,
  unavailable,
} from '@interlock/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pollJob } from '../poll-job.ts'
import { dailyRun, run, runError } from '../test-support.ts'
import { makeEmrTrigger } from './emr-trigger.ts'

let emr: FakeEmr
let client: EMRClient

beforeAll(async () => {
  emr = await startFakeEmr()
  client = new EMRClient(fakeAwsClientConfig(emr.url))
})

afterAll(async () => {
  client.destroy()
  await emr.close()
})

const trigger = () => makeEmrTrigger({ emr: client })
const config = { clusterId: 'j-CLUSTER1', stepName: 'nightly-{{date}}', command: 's3://jars/etl.jar' }

const startedStep = async (script: Parameters<FakeEmr['steps']['next']>[0]) => {
  emr.steps.next(script)
  return run(trigger().start(config, dailyRun))
}

describe('emr trigger, start', () => {
  it('adds one step with its arguments in config order and returns the step id', async () => {
    const started = await run(trigger().start({ ...config, arguments: { b: '{{date}}', a: '2' } }, dailyRun))
    expect(started.metadata).toEqual({ emr_cluster_id: 'j-CLUSTER1', emr_step_id: started.externalRunId })
    expect(started.externalRunId).toMatch(/^s-FAKE/)
    expect(emr.calls('AddJobFlowSteps').at(-1)).toEqual({
      JobFlowId: 'j-CLUSTER1',
      Steps: [
        {
          Name: 'nightly-2026-03-03',
          ActionOnFailure: 'CONTINUE',
          HadoopJarStep: { Jar: 's3://jars/etl.jar', Args: ['b=2026-03-03', 'a=2'] },
        },
      ],
    })
  })

  it("runs seed 001's argument list as a command-runner.jar step: Args in order, templates rendered, named after the run", async () => {
    const listed = {
      clusterId: 'j-CLUSTER1',
      arguments: ['spark-submit', 's3://bucket/job.py', '--date', '{{date}}'],
    }
    const started = await run(trigger().start(listed, dailyRun))
    expect(started.externalRunId).toMatch(/^s-FAKE/)
    expect(emr.calls('AddJobFlowSteps').at(-1)).toEqual({
      JobFlowId: 'j-CLUSTER1',
      Steps: [
        {
          Name: 'orders-daily-2026-03-03',
          ActionOnFailure: 'CONTINUE',
          HadoopJarStep: {
            Jar: 'command-runner.jar',
            Args: ['spark-submit', 's3://bucket/job.py', '--date', '2026-03-03'],
          },
        },
      ],
    })
  })

  it('runs an argument list with the JAR and step name the config gives', async () => {
    await run(trigger().start({ ...config, arguments: ['--day', '{{date}}'] }, dailyRun))
    expect(emr.calls('AddJobFlowSteps').at(-1)?.Steps).toEqual([
      {
        Name: 'nightly-2026-03-03',
        ActionOnFailure: 'CONTINUE',
        HadoopJarStep: { Jar: 's3://jars/etl.jar', Args: ['--day', '2026-03-03'] },
      },
    ])
  })

  it('is rejected as PERMANENT for an unknown cluster (4xx)', async () => {
    const error = await runError(trigger().start({ ...config, clusterId: 'j-MISSING' }, dailyRun))
    expect(error.category).toBe('PERMANENT')
    expect(error.message).toBe(
      "emr trigger: AddJobFlowSteps failed: ValidationException: Cluster id 'j-MISSING' is not valid.",
    )
  })

  it('fails as TRANSIENT on a 5xx or throttling, and as TIMEOUT without an answer', async () => {
    emr.faults.next('AddJobFlowSteps', unavailable, throttled, hang)
    expect((await runError(trigger().start(config, dailyRun))).category).toBe('TRANSIENT')
    expect((await runError(trigger().start(config, dailyRun))).category).toBe('TRANSIENT')
    const slow = makeEmrTrigger({ emr: client, callTimeoutMs: 20 })
    expect((await runError(slow.start(config, dailyRun))).category).toBe('TIMEOUT')
  })

  it('starts after two 5xx answers when the client retries', async () => {
    const retrying = new EMRClient({
      ...fakeAwsClientConfig(emr.url),
      retryStrategy: immediateRetryStrategy(3),
    })
    emr.faults.next('AddJobFlowSteps', unavailable, unavailable)
    const started = await run(makeEmrTrigger({ emr: retrying }).start(config, dailyRun))
    retrying.destroy()
    expect(started.externalRunId).toMatch(/^s-FAKE/)
  })
})

describe('emr trigger, status', () => {
  it('follows a step from PENDING through RUNNING to COMPLETED', async () => {
    const started = await startedStep({ states: ['PENDING', 'RUNNING', 'COMPLETED'] })
    expect(await run(trigger().status(config, started, dailyRun))).toEqual({
      _tag: 'JobRunning',
      message: 'PENDING',
    })
    expect(await run(trigger().status(config, started, dailyRun))).toEqual({
      _tag: 'JobRunning',
      message: 'RUNNING',
    })
    expect(await run(trigger().status(config, started, dailyRun))).toEqual({
      _tag: 'JobSucceeded',
      message: 'COMPLETED',
    })
  })

  it.each(['FAILED', 'CANCELLED', 'INTERRUPTED'] as const)(
    'reports %s as a TRANSIENT failure',
    async (state) => {
      const started = await startedStep({ states: [state] })
      expect(await run(trigger().status(config, started, dailyRun))).toEqual({
        _tag: 'JobFailed',
        message: state,
        category: 'TRANSIENT',
      })
    },
  )

  it('adds the failure reason of the step', async () => {
    const started = await startedStep({ states: ['FAILED'], details: { failureReason: 'exit code 137' } })
    expect(await run(trigger().status(config, started, dailyRun))).toMatchObject({
      message: 'FAILED: exit code 137',
    })
  })

  it('reports running for missing metadata', async () => {
    expect(await run(trigger().status(config, { externalRunId: 'x', metadata: {} }, dailyRun))).toEqual({
      _tag: 'JobRunning',
      message: 'missing emr metadata',
    })
  })

  it('fails on an API error, a missing Step and a missing Step.Status', async () => {
    const started = await startedStep({ states: ['RUNNING'] })
    emr.faults.next('DescribeStep', statusFault(400, 'AccessDeniedException', 'no'))
    const denied = await runError(trigger().status(config, started, dailyRun))
    expect(denied.message).toBe('emr status: DescribeStep failed: AccessDeniedException: no')
    expect(denied.category).toBe('PERMANENT')
    const noStep = await startedStep({ states: ['RUNNING'], details: { omitStep: true } })
    expect((await runError(trigger().status(config, noStep, dailyRun))).message).toContain(
      'returned nil Step for',
    )
    const noStatus = await startedStep({ states: ['RUNNING'], details: { omitStatus: true } })
    expect((await runError(trigger().status(config, noStatus, dailyRun))).message).toContain(
      'returned nil Step.Status',
    )
  })
})

describe('emr trigger, poll window and cancel', () => {
  it('cancels a step still running when the window closes', async () => {
    const started = await startedStep({ states: ['RUNNING'] })
    const outcome = await run(
      pollJob(trigger(), config, started, dailyRun, { elapsedSeconds: 3600, pollWindowSeconds: 3600 }),
    )
    expect(outcome).toMatchObject({ _tag: 'PollWindowExhausted', category: 'TIMEOUT' })
    expect(emr.calls('CancelSteps').at(-1)).toEqual({
      ClusterId: 'j-CLUSTER1',
      StepIds: [started.externalRunId],
      StepCancellationOption: 'SEND_INTERRUPT',
    })
    expect(await run(trigger().status(config, started, dailyRun))).toMatchObject({
      _tag: 'JobFailed',
      message: 'CANCELLED',
    })
  })
})
