import { SFNClient } from '@aws-sdk/client-sfn'
import {
  type FakeStepFunctions,
  fakeAwsClientConfig,
  hang,
  immediateRetryStrategy,
  startFakeStepFunctions,
  throttled,
  unavailable,
} from '@interlock/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { executionName } from '../aws/idempotency-token.ts'
import { pollJob } from '../poll-job.ts'
import { dailyRun, hourlyRun, run, runError } from '../test-support.ts'
import { makeStepFunctionTrigger } from './step-function-trigger.ts'

let sfn: FakeStepFunctions
let client: SFNClient

beforeAll(async () => {
  sfn = await startFakeStepFunctions()
  client = new SFNClient(fakeAwsClientConfig(sfn.url))
})

afterAll(async () => {
  client.destroy()
  await sfn.close()
})

const trigger = () => makeStepFunctionTrigger({ stepFunctions: client })
let attempts = 0
const nextAttempt = () => ({ ...dailyRun, attemptId: `attempt-${++attempts}` })

/** Seed 002: the city-discovery workflow, started with an input built from the period. */
const cityDiscovery = {
  stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:data-scout-orchestration',
  arguments: { city: 'edinburgh', runDate: '{{date}}', hour: '{{hour}}', pipeline: '{{pipelineId}}' },
}
/** Seed 004: the email-processor workflow. */
const emailProcessor = {
  stateMachineArn: 'arn:aws:states:us-west-2:942734823970:stateMachine:email-processor',
}

const startedExecution = async (
  script: Parameters<FakeStepFunctions['executions']['next']>[0],
  config: typeof cityDiscovery | typeof emailProcessor = emailProcessor,
) => {
  sfn.executions.next(script)
  return run(trigger().start(config, nextAttempt()))
}

describe('step-function trigger, start', () => {
  it('starts the seed-002 workflow with a JSON input built from the period, keys sorted', async () => {
    const started = await run(trigger().start(cityDiscovery, hourlyRun))
    expect(sfn.calls('StartExecution').at(-1)).toEqual({
      stateMachineArn: cityDiscovery.stateMachineArn,
      name: 'clickstream-hourly-2026-03-06T16-attempt-2',
      input: '{"city":"edinburgh","hour":"16","pipeline":"clickstream-hourly","runDate":"2026-03-06"}',
    })
    expect(started).toEqual({
      externalRunId:
        'arn:aws:states:us-east-1:123456789012:execution:data-scout-orchestration:clickstream-hourly-2026-03-06T16-attempt-2',
      metadata: { sfn_execution_arn: started.externalRunId },
      synchronous: false,
      message: `started execution ${started.externalRunId}`,
    })
  })

  it('sends no input without arguments', async () => {
    await run(trigger().start(emailProcessor, nextAttempt()))
    expect(sfn.calls('StartExecution').at(-1)).not.toHaveProperty('input')
  })

  it('finds the same execution when one attempt is started twice', async () => {
    const context = nextAttempt()
    const first = await run(trigger().start(cityDiscovery, context))
    const again = await run(trigger().start(cityDiscovery, context))
    expect(again.externalRunId).toBe(first.externalRunId)
    expect(sfn.executions.all().filter((execution) => execution.id === first.externalRunId)).toHaveLength(1)
  })

  it('names executions within the 80 characters Step Functions allows', () => {
    const name = executionName({ pipelineId: 'p'.repeat(100), attemptId: 'a/b c', period: '2026-03-03' })
    expect(name).toHaveLength(80)
    expect(name).toMatch(/^[A-Za-z0-9_.-]+$/)
    expect(executionName({ pipelineId: 'x', attemptId: 'a/b c', period: '2026-03-03' })).toBe(
      'x-2026-03-03-a-b-c',
    )
  })

  it('is rejected as PERMANENT when the state machine does not exist (4xx)', async () => {
    const error = await runError(
      trigger().start(
        { stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:missing-one' },
        nextAttempt(),
      ),
    )
    expect(error.category).toBe('PERMANENT')
    expect(error.message).toBe(
      "step-function trigger: StartExecution failed: StateMachineDoesNotExist: State Machine Does Not Exist: 'arn:aws:states:us-east-1:1:stateMachine:missing-one'",
    )
  })

  it('fails as TRANSIENT on a 5xx or throttling, and as TIMEOUT without an answer', async () => {
    sfn.faults.next('StartExecution', unavailable, throttled, hang)
    expect((await runError(trigger().start(emailProcessor, nextAttempt()))).category).toBe('TRANSIENT')
    expect((await runError(trigger().start(emailProcessor, nextAttempt()))).category).toBe('TRANSIENT')
    const slow = makeStepFunctionTrigger({ stepFunctions: client, callTimeoutMs: 20 })
    const timedOut = await runError(slow.start(emailProcessor, nextAttempt()))
    expect(timedOut.category).toBe('TIMEOUT')
    expect(timedOut.message).toBe('step-function trigger: StartExecution failed: no answer within 20 ms')
  })

  it('starts after two 5xx answers when the client retries', async () => {
    const retrying = new SFNClient({
      ...fakeAwsClientConfig(sfn.url),
      retryStrategy: immediateRetryStrategy(3),
    })
    sfn.faults.next('StartExecution', unavailable, unavailable)
    const started = await run(
      makeStepFunctionTrigger({ stepFunctions: retrying }).start(emailProcessor, nextAttempt()),
    )
    retrying.destroy()
    expect(started.externalRunId).toContain(':execution:email-processor:')
  })
})

describe('step-function trigger, status', () => {
  it('follows the seed-002 workflow to its end', async () => {
    const started = await startedExecution({ states: ['RUNNING', 'RUNNING', 'SUCCEEDED'] }, cityDiscovery)
    expect(await run(trigger().status(cityDiscovery, started, dailyRun))).toEqual({
      _tag: 'JobRunning',
      message: 'RUNNING',
    })
    expect(await run(trigger().status(cityDiscovery, started, dailyRun))).toEqual({
      _tag: 'JobRunning',
      message: 'RUNNING',
    })
    expect(await run(trigger().status(cityDiscovery, started, dailyRun))).toEqual({
      _tag: 'JobSucceeded',
      message: 'SUCCEEDED',
    })
  })

  it.each([
    ['FAILED', 'TRANSIENT'],
    ['ABORTED', 'TRANSIENT'],
    ['TIMED_OUT', 'TIMEOUT'],
  ] as const)('reports %s as a %s failure', async (status, category) => {
    const started = await startedExecution({ states: [status] })
    expect(await run(trigger().status(emailProcessor, started, dailyRun))).toEqual({
      _tag: 'JobFailed',
      message: status,
      category,
    })
  })

  it('adds the error and cause of a failed execution', async () => {
    const started = await startedExecution({
      states: ['FAILED'],
      details: { error: 'States.TaskFailed', cause: 'HandleTimeout lambda failed' },
    })
    expect(await run(trigger().status(emailProcessor, started, dailyRun))).toMatchObject({
      message: 'FAILED: States.TaskFailed: HandleTimeout lambda failed',
    })
  })

  it('reports PENDING_REDRIVE as running and missing metadata as running', async () => {
    const started = await startedExecution({ states: ['PENDING_REDRIVE'] })
    expect(await run(trigger().status(emailProcessor, started, dailyRun))).toEqual({
      _tag: 'JobRunning',
      message: 'PENDING_REDRIVE',
    })
    expect(
      await run(trigger().status(emailProcessor, { externalRunId: 'x', metadata: {} }, dailyRun)),
    ).toEqual({
      _tag: 'JobRunning',
      message: 'missing sfn metadata',
    })
  })

  it('fails on an unknown execution', async () => {
    const error = await runError(
      trigger().status(
        emailProcessor,
        { externalRunId: 'x', metadata: { sfn_execution_arn: 'arn:nope' } },
        dailyRun,
      ),
    )
    expect(error.message).toBe(
      "sfn status: DescribeExecution failed: ExecutionDoesNotExist: Execution Does Not Exist: 'arn:nope'",
    )
    expect(error.category).toBe('PERMANENT')
  })
})

describe('step-function trigger, poll window and cancel (seed 004)', () => {
  it('times the email-processor execution out and aborts it cleanly', async () => {
    const started = await startedExecution({ states: ['RUNNING'] })
    const window = { pollWindowSeconds: 120 }
    expect(
      await run(pollJob(trigger(), emailProcessor, started, dailyRun, { ...window, elapsedSeconds: 60 })),
    ).toEqual({
      _tag: 'JobRunning',
      message: 'RUNNING',
    })
    expect(
      await run(pollJob(trigger(), emailProcessor, started, dailyRun, { ...window, elapsedSeconds: 120 })),
    ).toEqual({
      _tag: 'PollWindowExhausted',
      message: 'job poll window exhausted: still running after 120s of 120s',
      category: 'TIMEOUT',
      cancellation: {
        _tag: 'CancelRequested',
        message: `stop requested for execution ${started.externalRunId}`,
      },
    })
    expect(sfn.calls('StopExecution').at(-1)).toEqual({
      executionArn: started.externalRunId,
      error: 'Interlock.Cancelled',
      cause: 'cancelled by Interlock',
    })
    expect(await run(trigger().status(emailProcessor, started, dailyRun))).toEqual({
      _tag: 'JobFailed',
      message: 'ABORTED',
      category: 'TRANSIENT',
    })
  })

  it('still ends the window when the stop call fails, and reports why', async () => {
    const started = await startedExecution({ states: ['RUNNING'] })
    sfn.faults.next('StopExecution', unavailable)
    const outcome = await run(
      pollJob(trigger(), emailProcessor, started, dailyRun, { elapsedSeconds: 60, pollWindowSeconds: 60 }),
    )
    expect(outcome).toMatchObject({
      _tag: 'PollWindowExhausted',
      cancellation: { _tag: 'CancelFailed', error: { category: 'TRANSIENT' } },
    })
  })
})
