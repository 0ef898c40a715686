import { createTestDatabase, type TestDatabase } from '@interlock/db'
import { InterlockEvent } from '@interlock/domain'
import { EventStore, makeEventCodec } from '@interlock/eventstore'
import { Either } from 'effect'
import pg from 'pg'
import { PgBoss } from 'pg-boss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SimulatedClock } from './clock.ts'
import { CommandBus, ConfigInvalid, PipelineNotFound, type SensorBatchResult } from './command-bus.ts'
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
  await bus.store.close()
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

  it('starts an attempt when the trigger sensor arrives, evaluates it at once, and requests the job', async () => {
    await bus.recordSensor(
      { pipelineId: 'orders-daily', key: 'orders-landed', data: { status: 'COMPLETE', date: '2026-01-05' } },
      api,
    )
    const types = await eventTypes('run-orders-daily-default-2026-01-05')
    // The first evaluation is a timer due now: the bus delivers it at once instead of a round through pg-boss.
    expect(types.slice(-4)).toEqual(['AttemptStarted', 'TimerRequested', 'RunEvaluated', 'JobStartRequested'])
    expect(await timers.pending()).toEqual([])
    // The log reactor, reading that TimerRequested later, learns the bus delivered it and skips the repeat.
    const stream = 'run-orders-daily-default-2026-01-05'
    const requested = (await bus.store.readStream(stream)).flatMap(({ event }) =>
      event._tag === 'TimerRequested' ? [event.timerId] : [],
    )
    expect(requested.length).toBeGreaterThan(0)
    for (const timerId of requested) expect(bus.hasDeliveredTimer(stream, timerId)).toBe(true)
    expect(bus.hasDeliveredTimer(stream, 'never-requested')).toBe(false)
  })

  it('schedules the timers due later in pg-boss, in the transaction of the events that ask for them', async () => {
    // The trigger passes but orders-count is missing for this period: the next evaluation is due in 5 minutes.
    await bus.recordSensor(
      { pipelineId: 'orders-daily', key: 'orders-landed', data: { status: 'COMPLETE', date: '2026-01-07' } },
      api,
    )
    const requested = (await bus.store.readStream('run-orders-daily-default-2026-01-07'))
      .map((e) => e.event)
      .filter((event) => event._tag === 'TimerRequested' && Date.parse(event.fireAt) > clock.now())
    expect(requested.map((event) => event._tag === 'TimerRequested' && event.fireAt)).toEqual([
      '2026-01-05T06:05:00.000Z',
    ])
    const pending = await timers.pending()
    expect(pending.map((timer) => [timer.timerId, new Date(timer.fireAt).toISOString()])).toEqual([
      ['orders-daily/default/2026-01-07/1/evaluate/2', '2026-01-05T06:05:00.000Z'],
    ])
    await timers.advanceTo(
      clock,
      clock.now() + 10 * 60_000,
      (timer) => bus.fireTimer(timer).then(() => {}),
      async () => {},
    )
    expect(await eventTypes('run-orders-daily-default-2026-01-07')).toContain('RunEvaluated')
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

  it('requires the calendars a config names to be registered, and excludes their dates (C6, C7)', async () => {
    const config = `
pipeline: { id: holiday-orders }
schedule:
  calendar: us-holidays
  trigger: { key: landed, check: equals, field: status, value: COMPLETE }
validation:
  trigger: ALL
  rules: [{ key: landed, check: equals, field: status, value: COMPLETE }]
job: { type: command, config: { command: "true" } }
`
    const early = await bus.registerPipeline(config, api)
    const issues = Either.isLeft(early) && early.left instanceof ConfigInvalid ? early.left.issues : []
    expect(issues.map((issue) => issue.path)).toEqual(['schedule.calendar'])

    const calendar = await bus.registerCalendar('name: us-holidays\ndates: ["2026-01-19"]\n', api)
    expect(calendar).toEqual(Either.right({ name: 'us-holidays', version: 1, changed: true }))
    expect(Either.isRight(await bus.registerPipeline(config, api))).toBe(true)

    await bus.recordSensor(
      { pipelineId: 'holiday-orders', key: 'landed', data: { status: 'COMPLETE', date: '2026-01-19' } },
      api,
    )
    expect(await eventTypes('run-holiday-orders-default-2026-01-19')).toContain('TriggerExcluded')
  })

  describe('recordSensors', () => {
    const outcomesOf = (result: SensorBatchResult | undefined) =>
      result !== undefined && Either.isRight(result)
        ? result.right.runs.map(({ run, outcome }) => ({
            period: run.period,
            tag: outcome._tag,
            events: outcome._tag === 'Accepted' ? outcome.events.map((event) => event._tag) : [],
            duplicate: outcome._tag === 'Accepted' && outcome.append?.duplicate === true,
          }))
        : undefined

    it('answers every reading in batch order: recorded, unknown pipeline, or the invalid field named', async () => {
      const before = (await pool.query('select count(*)::int as n from events')).rows[0].n
      const results = await bus.recordSensors(
        [
          { pipelineId: 'orders-daily', key: 'orders-count', data: { count: 10, date: '2026-02-01' } },
          { pipelineId: 'nope', key: 'orders-count', data: { date: '2026-02-01' } },
          { pipelineId: 'orders-daily', key: 'orders-count', data: { date: '2026-02-01', hour: '25' } },
          { pipelineId: 'orders-daily', key: 'orders-count', data: { date: '2026-02-30' } },
        ],
        api,
      )
      expect(outcomesOf(results[0])).toEqual([
        { period: '2026-02-01', tag: 'Accepted', events: ['SensorReadingRecorded'], duplicate: false },
      ])
      expect(results[1] !== undefined && Either.isLeft(results[1]) && results[1].left).toEqual(
        new PipelineNotFound({ pipelineId: 'nope' }),
      )
      const fieldOf = (result: SensorBatchResult | undefined) =>
        result !== undefined && Either.isLeft(result) && 'field' in result.left
          ? result.left.field
          : undefined
      expect(fieldOf(results[2])).toBe('hour')
      expect(fieldOf(results[3])).toBe('date')
      expect((await pool.query('select count(*)::int as n from events')).rows[0].n).toBe(before + 1)
    })

    it('appends the readings of one run stream in one transaction, each decided against the ones before', async () => {
      const results = await bus.recordSensors(
        [
          { pipelineId: 'orders-daily', key: 'orders-count', data: { count: 1500, date: '2026-02-02' } },
          { pipelineId: 'orders-daily', key: 'orders-count', data: { count: 1600, date: '2026-02-03' } },
          {
            pipelineId: 'orders-daily',
            key: 'orders-landed',
            data: { status: 'COMPLETE', date: '2026-02-02' },
          },
        ],
        api,
      )
      // The trigger sees the count recorded just before it in the same batch: the rules pass at once.
      expect(outcomesOf(results[2])?.[0]?.events).toEqual([
        'SensorReadingRecorded',
        'FirstSensorArrivalRecorded',
        'AttemptStarted',
        'TimerRequested',
      ])
      const stream = await bus.store.readStream('run-orders-daily-default-2026-02-02')
      expect(stream.map((event) => event.type)).toEqual([
        'SensorReadingRecorded',
        'SensorReadingRecorded',
        'FirstSensorArrivalRecorded',
        'AttemptStarted',
        'TimerRequested',
        'RunEvaluated',
        'JobStartRequested',
      ])
      // Readings without an id share one append; the due evaluation is delivered at once, as runCommand does.
      expect(new Set(stream.slice(0, 5).map((event) => event.transactionId)).size).toBe(1)
      expect(stream[0]!.metadata.tags).toEqual({
        pipelineId: 'orders-daily',
        scheduleId: 'default',
        period: '2026-02-02',
      })
      expect(stream[0]!.metadata.configVersion).toBe(1)
    })

    it('records a reading once per id, within a batch, across batches and across the single route', async () => {
      const reading = (count: number, id: string) => ({
        pipelineId: 'orders-daily',
        key: 'orders-count',
        data: { count, date: '2026-02-04' },
        id,
      })
      await bus.recordSensor(reading(1, 'single-1'), { actor: 'test', commandId: 'single-1' })
      const first = await bus.recordSensors(
        [reading(2, 'batch-a'), reading(3, 'batch-b'), reading(2, 'batch-a')],
        api,
      )
      const second = await bus.recordSensors(
        [reading(3, 'batch-b'), reading(4, 'batch-c'), reading(1, 'single-1')],
        api,
      )
      expect(first.map((result) => outcomesOf(result)?.[0]?.duplicate)).toEqual([false, false, true])
      expect(second.map((result) => outcomesOf(result)?.[0]?.duplicate)).toEqual([true, false, true])
      const stream = await bus.store.readStream('run-orders-daily-default-2026-02-04')
      expect(
        stream.map((event) => (event.event._tag === 'SensorReadingRecorded' ? event.event.data.count : null)),
      ).toEqual([1, 2, 3, 4])
      // Each reading with an id is its own append, so its command id is its idempotency record.
      expect(stream.map((event) => event.metadata.commandId)).toEqual([
        'sensor:single-1:default',
        'sensor:batch-a:default',
        'sensor:batch-b:default',
        'sensor:batch-c:default',
      ])
      expect(new Set(stream.slice(1, 3).map((event) => event.transactionId)).size).toBe(1)
    })

    it('decides a stream again when another writer appended first', async () => {
      const streamId = 'run-orders-daily-default-2026-02-05'
      const racing = await Promise.all([
        bus.recordSensors(
          Array.from({ length: 20 }, (_, n) => ({
            pipelineId: 'orders-daily',
            key: 'orders-count',
            data: { count: n, date: '2026-02-05' },
            id: `race-a-${n}`,
          })),
          api,
        ),
        // Four racers besides the batch: with five writers on one stream, the last to win needs four
        // retries, inside the handler's budget of five whatever the scheduling.
        ...Array.from({ length: 4 }, (_, n) =>
          bus.recordSensor(
            { pipelineId: 'orders-daily', key: 'orders-count', data: { count: 100 + n, date: '2026-02-05' } },
            api,
          ),
        ),
      ])
      expect(racing[0].every((result) => outcomesOf(result)?.[0]?.tag === 'Accepted')).toBe(true)
      const stream = await bus.store.readStream(streamId)
      expect(stream).toHaveLength(24)
      expect(stream.map((event) => event.streamVersion)).toEqual(Array.from({ length: 24 }, (_, n) => n + 1))
    })
  })
})
