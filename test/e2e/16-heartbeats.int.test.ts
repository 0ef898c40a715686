// Seed 004's email processing as a callback-style job: the Step Functions execution heart-beats through
// `POST /api/runs/{attemptId}/heartbeat` (what a task-token worker's SendTaskHeartbeat relays), and
// `job.heartbeatTimeout: 2m` says how long Interlock waits for the next one. The first execution beats
// twice, then goes silent: two minutes after its last heartbeat the attempt fails as TIMEOUT with
// JOB_HEARTBEAT_MISSED, the silent execution is stopped, and the retry rules start a new execution (`maxRetries: 1`). The retry never
// beats at all: it fails the same way two minutes after its start, and the run ends RETRY_EXHAUSTED.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeStepFunctions, startFakeStepFunctions } from '../src/index.ts'
import { useFakeStepFunctions } from './harness/aws-environment.ts'
import { type Interlock, startInterlock } from './harness/interlock.ts'

const ID = 'email-heartbeats'
const MACHINE = 'arn:aws:states:us-west-2:123456789012:stateMachine:email-processor'
const DAY = '2026-03-01'
let interlock: Interlock
let sfn: FakeStepFunctions
let restoreEnvironment: () => void = () => {}

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
  heartbeatTimeout: 2m
  jobPollWindowSeconds: 3600
`

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

const heartbeat = (attempt: number) =>
  interlock.call('POST', `/api/runs/${encodeURIComponent(`${ID}/default/${DAY}/${attempt}`)}/heartbeat`)
const dayEvents = async () => (await interlock.events(ID)).filter((event) => event.period === DAY)

it('fails an attempt whose job stops heart-beating as TIMEOUT, retries it, and gives up after the retry', async () => {
  await interlock.sensor(ID, 'email-received', { messageId: 'm-1', date: DAY })
  await interlock.advance('1m')
  expect(sfn.calls('StartExecution')).toHaveLength(1)
  expect(await heartbeat(1)).toMatchObject({
    status: 200,
    body: { events: ['JobHeartbeatRecorded', 'TimerRequested'] },
  })
  await interlock.advance('90s')
  expect(await heartbeat(1)).toMatchObject({ status: 200, body: { result: 'recorded' } })
  // Alive for as long as it beats: past two minutes from the start, nothing failed.
  expect((await dayEvents()).map((event) => event.type)).toEqual(['VALIDATION_PASSED', 'JOB_TRIGGERED'])

  // Silent from 06:02:30: at 06:04:30 the heartbeat is missed.
  await interlock.advance('2m')
  const events = await dayEvents()
  expect(events.map((event) => [event.type, event.occurredAt])).toEqual([
    ['VALIDATION_PASSED', '2026-03-02T06:00:00.000Z'],
    ['JOB_TRIGGERED', '2026-03-02T06:00:00.000Z'],
    ['JOB_HEARTBEAT_MISSED', '2026-03-02T06:04:30.000Z'],
    ['VALIDATION_PASSED', '2026-03-02T06:04:30.000Z'],
    ['JOB_TRIGGERED', '2026-03-02T06:04:30.000Z'],
  ])
  expect(events[2]).toMatchObject({
    message: `job heartbeat missed for ${ID}: none within 120s, attempt failed as TIMEOUT`,
  })
  expect(sfn.calls('StartExecution')).toHaveLength(2)
  // The silent execution is stopped, so its retry does not run beside it.
  expect(sfn.calls('StopExecution')).toHaveLength(1)
  expect(await heartbeat(1)).toMatchObject({ status: 200, body: { result: 'unchanged' } })

  // The retry never beats: it fails two minutes after its start, and the budget is spent.
  await interlock.advance('3m')
  expect((await dayEvents()).map((event) => event.type).slice(5)).toEqual([
    'JOB_HEARTBEAT_MISSED',
    'RETRY_EXHAUSTED',
  ])
  expect(sfn.calls('StopExecution')).toHaveLength(2)
  expect(await interlock.run(ID, DAY)).toMatchObject({
    run: { status: 'failed', attemptCount: 2 },
    attempts: [{ status: 'failed' }, { status: 'failed' }],
  })
  const alerts = (await interlock.alerts()).filter((alert) => alert.period === DAY)
  expect(alerts.map((alert) => [alert.type, alert.severity])).toEqual([
    ['JOB_HEARTBEAT_MISSED', 'critical'],
    ['JOB_HEARTBEAT_MISSED', 'critical'],
    ['RETRY_EXHAUSTED', 'critical'],
  ])
  const trace = (await interlock.call('GET', `/api/pipelines/${ID}/runs/${DAY}/explain`)).body as {
    text: string
  }
  expect(trace.text).toContain(`heartbeat 2 of ${ID}/default/${DAY}/1 recorded`)
  expect(trace.text).toContain(
    `heartbeat missed for ${ID}/default/${DAY}/1: none within 120s since 2026-03-02T06:02:30.000Z`,
  )
})
