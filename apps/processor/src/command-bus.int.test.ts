import { createTestDatabase, type TestDatabase } from '@interlock/db'
import { InterlockEvent } from '@interlock/domain'
import { EventStore, makeEventCodec } from '@interlock/eventstore'
import { Either } from 'effect'
import pg from 'pg'
import { PgBoss } from 'pg-boss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SimulatedClock } from './clock.ts'
import { CommandBus, ConfigInvalid, PipelineNotFound } from './command-bus.ts'
import { Timers } from './timers.ts'

const ORDERS = `
pipeline:
  id: orders-daily
  owner: data-platform
schedule:
  timezone: UTC
  trigger: { key: orders-landed, check: equals, field: status, value: COMPLETE }
  evaluation: { window: 1h, interval: 5m }
validation:
  trigger: ALL
  rules:
    - { key: orders-landed, check: equals, field: status, value: COMPLETE }
    - { key: orders-count, check: gte, field: count, value: 1000 }
job:
  type: command
  config: { command: "echo done" }
`

let database: TestDatabase
let pool: pg.Pool
let boss: PgBoss
let bus: CommandBus
let timers: Timers
const clock = new SimulatedClock(Date.parse('2026-01-05T06:00:00Z'))
const api = { actor: 'test' }

beforeAll(async () => {
  database = await createTestDatabase()
  pool = new pg.Pool({ connectionString: database.url, max: 10 })
  boss = new PgBoss({ connectionString: database.url, schema: 'pgboss' })
  boss.on('error', () => {})
  await boss.start()
  timers = new Timers(boss, clock)
  await timers.createQueue()
  bus = new CommandBus({
    store: new EventStore({ pool, codec: makeEventCodec(InterlockEvent) }),
    clock,
    timers,
  })
})
afterAll(async () => {
  await boss.stop({ graceful: false })
  await bus.store.wakeup.close()
  await pool.end()
  await database.drop()
})

const eventTypes = async (streamId: string) => (await bus.store.readStream(streamId)).map((e) => e.type)

describe('CommandBus', () => {
  it('registers a config once per content, and reports every problem of an invalid one', async () => {
    const first = await bus.registerPipeline(ORDERS, api)
    const again = await bus.registerPipeline(ORDERS, api)
    expect(first).toEqual(Either.right({ pipelineId: 'orders-daily', version: 1, changed: true }))
    expect(again).toEqual(Either.right({ pipelineId: 'orders-daily', version: 1, changed: false }))

    const invalid = await bus.registerPipeline(
      'pipeline: { id: broken }\njob: { type: glue, config: {}, max_retries: 2 }\n',
      api,
    )
    expect(Either.isLeft(invalid) && invalid.left).toBeInstanceOf(ConfigInvalid)
    const issues = Either.isLeft(invalid) && invalid.left instanceof ConfigInvalid ? invalid.left.issues : []
    expect(issues.length).toBeGreaterThanOrEqual(2)
    expect(issues.map((issue) => issue.path)).toContain('job.max_retries')
    expect(await eventTypes('pipeline-broken')).toEqual([])
  })

  it('records a sensor in the period its data names and tags the events with the run key', async () => {
    const recorded = await bus.recordSensor(
      { pipelineId: 'orders-daily', key: 'orders-count', data: { count: 1500, date: '2026-01-05' } },
      api,
    )
    expect(Either.isRight(recorded)).toBe(true)
    const [event] = await bus.store.readStream('run-orders-daily-default-2026-01-05')
    expect(event!.type).toBe('SensorReadingRecorded')
    expect(event!.metadata.tags).toEqual({
      pipelineId: 'orders-daily',
      scheduleId: 'default',
      period: '2026-01-05',
    })
    expect(event!.metadata.configVersion).toBe(1)
  })

  it('starts an attempt when the trigger sensor arrives and schedules its timers with the events', async () => {
    await bus.recordSensor(
      { pipelineId: 'orders-daily', key: 'orders-landed', data: { status: 'COMPLETE', date: '2026-01-05' } },
      api,
    )
    const stream = 'run-orders-daily-default-2026-01-05'
    expect((await eventTypes(stream)).slice(-2)).toEqual(['AttemptStarted', 'TimerRequested'])
    const requested = (await bus.store.readStream(stream))
      .map((e) => e.event)
      .filter((event) => event._tag === 'TimerRequested')
    expect((await timers.pending()).map((timer) => timer.timerId)).toEqual(
      requested.map((event) => event.timerId),
    )

    // The first evaluation is a timer due now; firing it evaluates, passes, and requests the job.
    await timers.advanceTo(
      clock,
      clock.now(),
      (timer) => bus.fireTimer(timer).then(() => {}),
      async () => {},
    )
    const types = await eventTypes(stream)
    expect(types.slice(-2)).toEqual(['RunEvaluated', 'JobStartRequested'])
    expect(await timers.pending()).toEqual([])
  })

  it('stores nothing for an unknown pipeline or an invalid date, and names the field', async () => {
    const before = (await pool.query('select count(*)::int as n from events')).rows[0].n
    const unknown = await bus.recordSensor({ pipelineId: 'nope', key: 'k', data: {} }, api)
    const badDate = await bus.recordSensor(
      { pipelineId: 'orders-daily', key: 'orders-count', data: { date: '2026-13-45' } },
      api,
    )
    expect(Either.isLeft(unknown) && unknown.left).toBeInstanceOf(PipelineNotFound)
    expect(Either.isLeft(badDate) && badDate.left._tag).toBe('InvalidSensorPeriod')
    expect(Either.isLeft(badDate) && 'field' in badDate.left && badDate.left.field).toBe('date')
    expect((await pool.query('select count(*)::int as n from events')).rows[0].n).toBe(before)
  })

  it('appends the same sensor reading once when its command id repeats', async () => {
    const reading = {
      pipelineId: 'orders-daily',
      key: 'orders-count',
      data: { count: 2000, date: '2026-01-06' },
    }
    await bus.recordSensor(reading, { actor: 'test', commandId: 'idem-1' })
    await bus.recordSensor(reading, { actor: 'test', commandId: 'idem-1' })
    expect(await eventTypes('run-orders-daily-default-2026-01-06')).toEqual(['SensorReadingRecorded'])
  })
})
