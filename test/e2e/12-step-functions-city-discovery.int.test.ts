// Seed 002 "Step Functions workflow for city discovery": a gated execution. The discovery state machine
// starts only once the city's web sources are discovered (the gate), with an execution input built from
// the period, named after the attempt; it is polled RUNNING → SUCCEEDED and the run completes. Exactly
// one StartExecution, never a StopExecution, one JOB_COMPLETED alert.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeStepFunctions, startFakeStepFunctions } from '../src/index.ts'
import { useFakeStepFunctions } from './harness/aws-environment.ts'
import { type Interlock, startInterlock } from './harness/interlock.ts'

const ID = 'city-discovery'
const DAY = '2026-03-02'
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:data-scout-orchestration'
let interlock: Interlock
let sfn: FakeStepFunctions
let restoreEnvironment: () => void = () => {}

beforeAll(async () => {
  sfn = await startFakeStepFunctions({ states: ['RUNNING', 'RUNNING', 'SUCCEEDED'] })
  restoreEnvironment = useFakeStepFunctions(sfn.url)
  interlock = await startInterlock()
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
  trigger: { key: web-sources, check: equals, field: status, value: DISCOVERED }
  evaluation: { window: 1h, interval: 5m }
validation:
  rules:
    - { key: web-sources, check: equals, field: status, value: DISCOVERED }
    - { key: web-sources, check: gte, field: count, value: 10 }
job:
  type: step-function
  config:
    stateMachineArn: "${MACHINE}"
    arguments:
      city: edinburgh
      period: "{{period}}"
      runDate: "{{date}}"
      attemptId: "{{attemptId}}"
`

it('starts the discovery execution once the gate passes, with the period in its input, and polls it to SUCCEEDED', async () => {
  await interlock.register(ID, YAML)
  // Gate closed: sources found but too few.
  await interlock.sensor(ID, 'web-sources', { status: 'DISCOVERED', count: 3, date: DAY })
  await interlock.advance('5m')
  expect(sfn.calls('StartExecution')).toEqual([])
  // Gate open at 06:05; the 06:10 evaluation passes and starts the execution.
  await interlock.sensor(ID, 'web-sources', { status: 'DISCOVERED', count: 42, date: DAY })
  await interlock.advance('5m')
  await interlock.advance('3m')

  const attemptId = `${ID}/default/${DAY}/1`
  const starts = sfn.calls('StartExecution')
  expect(starts).toHaveLength(1)
  expect(starts[0]).toMatchObject({ stateMachineArn: MACHINE })
  expect(JSON.parse(String(starts[0]?.input))).toEqual({
    attemptId,
    city: 'edinburgh',
    period: DAY,
    runDate: DAY,
  })
  expect(sfn.calls('DescribeExecution')).toHaveLength(3)
  expect(sfn.calls('StopExecution')).toEqual([])

  const events = await interlock.events(ID)
  const executionArn = sfn.executions.all()[0]?.id
  expect(events.map((event) => [event.type, event.occurredAt])).toEqual([
    ['VALIDATION_PASSED', '2026-03-02T06:10:00.000Z'],
    ['JOB_TRIGGERED', '2026-03-02T06:10:00.000Z'],
    ['JOB_COMPLETED', '2026-03-02T06:13:00.000Z'],
  ])
  expect(events[1]).toMatchObject({ message: 'triggered step-function job', detail: { runId: executionArn } })
  expect(await interlock.run(ID, DAY)).toMatchObject({
    run: { status: 'succeeded', attemptCount: 1, jobRunId: executionArn },
    attempts: [{ attemptId, jobType: 'step-function', evaluations: 3, polls: 3, status: 'succeeded' }],
  })
  expect((await interlock.alerts()).map((alert) => alert.type)).toEqual(['JOB_COMPLETED'])
})
