import { readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createTestDatabase, type TestDatabase } from '@interlock/db'
import { InterlockEvent, jobClaimStreamId } from '@interlock/domain'
import { EventStore, makeEventCodec, Subscription } from '@interlock/eventstore'
import { fakeAwsClientConfig, startFakeStepFunctions } from '@interlock/test'
import {
  interlockEnvironment,
  makeAwsClients,
  makeOutboundHttp,
  makeTriggerRunner,
} from '@interlock/triggers'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SimulatedClock } from './clock.ts'
import { CommandBus } from './command-bus.ts'
import { Reactor } from './reactor.ts'

const JOB = fileURLToPath(new URL('../test-support/append-line.mjs', import.meta.url))

const pipeline = (id: string, startsFile: string) => `
pipeline: { id: ${id} }
schedule:
  trigger: { key: ready, check: equals, field: status, value: READY }
  evaluation: { window: 1h, interval: 5m }
validation:
  trigger: ALL
  rules:
    - { key: ready, check: equals, field: status, value: READY }
job:
  type: command
  config: { command: "node ${JOB} ${startsFile} {{attemptId}}" }
`

let database: TestDatabase
let pool: pg.Pool
let bus: CommandBus
let reactor: Reactor
let folder: string
const clock = new SimulatedClock(Date.parse('2026-01-05T06:00:00Z'))
const api = { actor: 'test' }

beforeAll(async () => {
  database = await createTestDatabase()
  pool = new pg.Pool({ connectionString: database.url, max: 10 })
  bus = new CommandBus({ store: new EventStore({ pool, codec: makeEventCodec(InterlockEvent) }), clock })
  const triggers = makeTriggerRunner({
    environment: interlockEnvironment({}),
    http: makeOutboundHttp({ allowPrivateTargets: [] }),
    aws: makeAwsClients({ region: 'us-east-1' }),
    commandPath: process.env.PATH ?? '/usr/bin:/bin',
  })
  reactor = new Reactor({ bus, triggers, processorId: 'test-processor' })
  folder = await mkdtemp(join(tmpdir(), 'interlock-reactor-'))
})
afterAll(async () => {
  await bus.store.close()
  await pool.end()
  await database.drop()
})

const startsIn = (file: string) => {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean)
  } catch {
    return []
  }
}
const types = async (stream: string) => (await bus.store.readStream(stream)).map((e) => e.type)

async function react(name: string): Promise<Subscription<InterlockEvent>> {
  const subscription = new Subscription(bus.store, name, (events) => reactor.handle(events), {
    transactional: false,
    pollIntervalMs: 20,
  })
  await subscription.caughtUp()
  return subscription
}

describe('Reactor', () => {
  it('takes a sensor write through evaluation to exactly one job start and its success', async () => {
    const starts = join(folder, 'orders.starts')
    await bus.registerPipeline(pipeline('orders', starts), api)
    await bus.recordSensor(
      { pipelineId: 'orders', key: 'ready', data: { status: 'READY', date: '2026-01-05' } },
      api,
    )
    const subscription = await react('reactor-a')
    // Each reaction appends events the reactor then reads: settle until nothing more happens.
    for (let i = 0; i < 5; i++) await subscription.caughtUp()
    await subscription.stop()
    const stream = 'run-orders-default-2026-01-05'
    expect(await types(stream)).toEqual(
      expect.arrayContaining(['RunEvaluated', 'JobStartRequested', 'JobStarted', 'JobSucceeded']),
    )
    expect(startsIn(starts)).toEqual(['orders/default/2026-01-05/1'])
  })

  it('starts no second job when the same requests are delivered again', async () => {
    // A new subscription name reads the whole log again: every intent is redelivered.
    const subscription = await react('reactor-b')
    for (let i = 0; i < 3; i++) await subscription.caughtUp()
    await subscription.stop()
    expect(startsIn(join(folder, 'orders.starts'))).toEqual(['orders/default/2026-01-05/1'])
  })

  it('records the outcome as unknown, and starts nothing, for a claim whose processor stopped before recording', async () => {
    const starts = join(folder, 'claims.starts')
    await bus.registerPipeline(pipeline('claims', starts), api)
    // A processor claimed try 1 of attempt 1 and died before calling out or recording anything.
    const attemptId = 'claims/default/2026-01-05/1'
    await bus.store.append(jobClaimStreamId(attemptId, 1), 'no_stream', [
      {
        _tag: 'JobStartClaimed',
        attemptId,
        triggerTry: 1,
        jobType: 'command',
        processorId: 'dead',
        at: '2026-01-05T06:00:00.000Z',
      } as never,
    ])
    await bus.recordSensor(
      { pipelineId: 'claims', key: 'ready', data: { status: 'READY', date: '2026-01-05' } },
      api,
    )
    const subscription = await react('reactor-c')
    for (let i = 0; i < 5; i++) await subscription.caughtUp()
    await subscription.stop()
    const events = (await bus.store.readStream('run-claims-default-2026-01-05')).map((e) => e.event)
    const failure = events.find((event) => event._tag === 'TriggerFailed')
    expect(failure).toMatchObject({ triggerTry: 1, category: 'PERMANENT' })
    expect(failure && 'error' in failure && failure.error).toContain('TRIGGER_OUTCOME_UNKNOWN')
    expect(startsIn(starts)).toEqual([])
  })

  it('resolves an unconfirmed claim by asking again when the service keys starts by attempt (Step Functions)', async () => {
    const stepFunctions = await startFakeStepFunctions({ states: ['RUNNING', 'SUCCEEDED'] })
    try {
      const sfnReactor = new Reactor({
        bus,
        triggers: makeTriggerRunner({
          environment: interlockEnvironment({}),
          http: makeOutboundHttp({ allowPrivateTargets: [] }),
          aws: makeAwsClients(fakeAwsClientConfig(stepFunctions.url)),
          commandPath: '/usr/bin:/bin',
        }),
        processorId: 'sfn-processor',
      })
      await bus.registerPipeline(
        `
pipeline: { id: city-discovery }
schedule:
  trigger: { key: ready, check: equals, field: status, value: READY }
validation:
  trigger: ALL
  rules: [{ key: ready, check: equals, field: status, value: READY }]
job:
  type: step-function
  config:
    stateMachineArn: arn:aws:states:us-east-1:123456789012:stateMachine:city-discovery
    arguments: { date: "{{date}}" }
`,
        api,
      )
      const attemptId = 'city-discovery/default/2026-01-05/1'
      // The claimant died after StartExecution answered and before recording it.
      await bus.recordSensor(
        { pipelineId: 'city-discovery', key: 'ready', data: { status: 'READY', date: '2026-01-05' } },
        api,
      )
      const crashed = new Reactor({
        bus,
        triggers: makeTriggerRunner({
          environment: interlockEnvironment({}),
          http: makeOutboundHttp({ allowPrivateTargets: [] }),
          aws: makeAwsClients(fakeAwsClientConfig(stepFunctions.url)),
          commandPath: '/usr/bin:/bin',
        }),
        processorId: 'crashed',
        faultPoint: (point) => {
          if (point === 'called') throw new Error('killed after the call')
        },
      })
      const first = new Subscription(bus.store, 'sfn-crashed', (events) => crashed.handle(events), {
        transactional: false,
        pollIntervalMs: 20,
        onError: () => {},
      })
      await new Promise((resolve) => setTimeout(resolve, 300))
      await first.stop()
      // The crashed reactor's batch was retried: every ask used the attempt's execution name.
      expect(stepFunctions.calls('StartExecution').length).toBeGreaterThanOrEqual(1)
      expect(stepFunctions.executions.all()).toHaveLength(1)

      const recovered = new Subscription(bus.store, 'sfn-recovered', (events) => sfnReactor.handle(events), {
        transactional: false,
        pollIntervalMs: 20,
      })
      for (let i = 0; i < 3; i++) await recovered.caughtUp()
      await recovered.stop()
      const names = new Set(stepFunctions.calls('StartExecution').map((call) => call.name))
      expect(names.size).toBe(1)
      expect(stepFunctions.executions.all()).toHaveLength(1)
      const started = (await bus.store.readStream('run-city-discovery-default-2026-01-05'))
        .map((e) => e.event)
        .filter((event) => event._tag === 'JobStarted')
      expect(started).toHaveLength(1)
      expect(started[0]).toMatchObject({ attemptId, jobType: 'step-function' })
      expect(JSON.stringify(started[0])).toContain(':execution:city-discovery')
    } finally {
      await stepFunctions.close()
    }
  })
})

describe('a reaction that keeps failing', () => {
  it('is dead-lettered after bounded retries, and the reactor moves on to the events after it', async () => {
    // An untagged timer request cannot be routed to a run: a poison event, as a bug would leave behind.
    const poison = await bus.store.append('run-poison-default-2026-01-05', 'no_stream', [
      {
        _tag: 'TimerRequested',
        at: '2026-01-05T06:00:00.000Z',
        configVersion: 1,
        timerId: 'poison/evaluate/1',
        fireAt: '2026-01-05T06:00:00.000Z',
        command: { _tag: 'FireSlaTimer', kind: 'absolute', alert: 'warning' },
      } as never,
    ])
    const starts = join(folder, 'after-poison.starts')
    await bus.registerPipeline(pipeline('after-poison', starts), api)
    await bus.recordSensor(
      { pipelineId: 'after-poison', key: 'ready', data: { status: 'READY', date: '2026-01-05' } },
      api,
    )
    const errors: unknown[] = []
    const subscription = new Subscription(bus.store, 'reactor-poison', (events) => reactor.handle(events), {
      transactional: false,
      pollIntervalMs: 20,
      onError: (error) => errors.push(error),
    })
    for (let i = 0; i < 3; i++) await subscription.caughtUp()
    await subscription.stop()

    expect(errors).toHaveLength(4)
    const { rows } = await pool.query<{ kind: string; key: string; attempts: number; error: string }>(
      "select kind, key, attempts, error from dead_letters where kind = 'reaction'",
    )
    expect(rows).toEqual([
      {
        kind: 'reaction',
        key: `reaction:${poison.positions[0]}`,
        attempts: 5,
        error: expect.stringContaining('has no run key tags'),
      },
    ])
    expect(startsIn(starts)).toEqual(['after-poison/default/2026-01-05/1'])
    await expect(reactor.redrive({ globalPosition: String(poison.positions[0]) })).rejects.toThrow(
      'has no run key tags',
    )
  })
})
