// Seed 004 "email-processor" state machine, the two failure paths its sprint could not test: an execution
// that never finishes is stopped when the job poll window (5 min) is spent — JOB_POLL_EXHAUSTED, one
// StopExecution, the run failed and, as lifecycle §1.7 rules, never retried even with budget left; an
// execution that is ABORTED is a JOB_FAILED (TRANSIENT) and is retried once (`maxRetries: 1`); when the
// retry is aborted too the run ends failed with RETRY_EXHAUSTED (1/1). One StartExecution per attempt.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeStepFunctions, startFakeStepFunctions } from '../src/index.ts'
import { useFakeStepFunctions } from './harness/aws-environment.ts'
import { type Interlock, startInterlock } from './harness/interlock.ts'

const ID = 'email-processor'
const MACHINE = 'arn:aws:states:us-west-2:123456789012:stateMachine:email-processor'
let interlock: Interlock
let sfn: FakeStepFunctions
let restoreEnvironment: () => void = () => {}

beforeAll(async () => {
  sfn = await startFakeStepFunctions({ states: ['RUNNING'] })
  restoreEnvironment = useFakeStepFunctions(sfn.url)
  interlock = await startInterlock()
  await interlock.register(ID, YAML)
})
afterAll(async () => {
  await interlock?.close()
  await sfn?.close()
  restoreEnvironment()
})

const YAML = `
pipeline:
  id: ${ID}
schedule:
  timezone: UTC
  trigger: { key: email-received, check: exists }
  evaluation: { window: 10m, interval: 1m }
validation:
  rules:
    - { key: email-received, check: exists, field: messageId }
job:
  type: step-function
  config:
    stateMachineArn: "${MACHINE}"
    arguments: { messageId: "inbox-{{period}}" }
  maxRetries: 1
  jobPollWindowSeconds: 300
`

const periodEvents = async (period: string) =>
  (await interlock.events(ID)).filter((event) => event.period === period)

it('stops an execution that outlives the poll window and ends the run failed, not retried', async () => {
  const day = '2026-03-01'
  await interlock.sensor(ID, 'email-received', { messageId: 'm-1', date: day })
  await interlock.advance('10m')

  const executionArn = `${MACHINE.replace(':stateMachine:', ':execution:')}`
  expect(sfn.calls('StartExecution')).toHaveLength(1)
  expect(sfn.calls('StopExecution')).toEqual([
    expect.objectContaining({ executionArn: expect.stringContaining(executionArn) }),
  ])
  const events = await periodEvents(day)
  expect(events.map((event) => [event.type, event.occurredAt])).toEqual([
    ['VALIDATION_PASSED', '2026-03-02T06:00:00.000Z'],
    ['JOB_TRIGGERED', '2026-03-02T06:00:00.000Z'],
    ['JOB_POLL_EXHAUSTED', '2026-03-02T06:05:00.000Z'],
  ])
  expect(events[2]?.message).toBe('job poll window exhausted')
  expect(await interlock.run(ID, day)).toMatchObject({
    run: { status: 'failed', attemptCount: 1 },
    attempts: [{ status: 'failed', polls: 5 }],
  })
  const alerts = (await interlock.alerts()).filter((alert) => alert.period === day)
  expect(alerts.map((alert) => [alert.type, alert.severity])).toEqual([['JOB_POLL_EXHAUSTED', 'critical']])
  // What must not happen: no retry, however long we wait.
  await interlock.advance('2h')
  expect(sfn.calls('StartExecution')).toHaveLength(1)
  expect((await periodEvents(day)).map((event) => event.type)).toEqual([
    'VALIDATION_PASSED',
    'JOB_TRIGGERED',
    'JOB_POLL_EXHAUSTED',
  ])
})

it('retries an aborted execution once, and ends the run failed when the retry is aborted too', async () => {
  const day = '2026-03-02'
  const aborted = {
    states: ['RUNNING', 'ABORTED'] as const,
    details: { error: 'States.Aborted', cause: 'stopped by an operator' },
  }
  sfn.executions.next({ ...aborted, states: [...aborted.states] })
  sfn.executions.next({ ...aborted, states: [...aborted.states] })
  await interlock.sensor(ID, 'email-received', { messageId: 'm-2', date: day })
  await interlock.advance('10m')

  const starts = sfn.calls('StartExecution')
  expect(starts).toHaveLength(3)
  expect(starts.slice(1).map((start) => [start.name, JSON.parse(String(start.input))])).toEqual([
    [expect.any(String), { messageId: `inbox-${day}` }],
    [expect.any(String), { messageId: `inbox-${day}` }],
  ])
  expect(starts[1]?.name).not.toBe(starts[2]?.name)
  expect(sfn.calls('StopExecution')).toHaveLength(1)
  const events = await periodEvents(day)
  expect(events.map((event) => [event.type, event.message])).toEqual([
    ['VALIDATION_PASSED', 'all validation rules passed'],
    ['JOB_TRIGGERED', 'triggered step-function job'],
    ['JOB_FAILED', 'job failed: ABORTED: States.Aborted: stopped by an operator'],
    ['VALIDATION_PASSED', 'all validation rules passed'],
    ['JOB_TRIGGERED', 'triggered step-function job'],
    ['JOB_FAILED', 'job failed: ABORTED: States.Aborted: stopped by an operator'],
    ['RETRY_EXHAUSTED', `retry limit reached (1/1) for ${ID}`],
  ])
  expect(events[2]?.detail).toEqual({ category: 'TRANSIENT' })
  expect(await interlock.run(ID, day)).toMatchObject({
    run: { status: 'failed', attemptCount: 2, failureCategory: 'TRANSIENT' },
    attempts: [
      { attemptNumber: 1, cause: 'sensor', status: 'failed', polls: 2 },
      { attemptNumber: 2, cause: 'job-retry', status: 'failed', polls: 2 },
    ],
  })
  const alerts = (await interlock.alerts()).filter((alert) => alert.period === day)
  expect(alerts.map((alert) => [alert.type, alert.severity])).toEqual([
    ['JOB_FAILED', 'critical'],
    ['JOB_FAILED', 'critical'],
    ['RETRY_EXHAUSTED', 'critical'],
  ])
})
