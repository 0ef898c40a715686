import { createTestDatabase, type TestDatabase } from '@interlock/db'
import type { RunEvent } from '@interlock/domain'
import { allProjections } from '@interlock/projections'
import { afterEach, describe, expect, it } from 'vitest'
import { processorConfig } from '../config.ts'
import { type Processor, startProcessor } from '../processor.ts'
import { Watchdog } from './watchdog.ts'

// Each scenario runs a simulated-clock processor of its own on a database of its own, so virtual time and
// scans of one never reach another. The pipelines wait for a sensor no one sends, so they open periods
// and evaluate but start no job: what is checked here is what opens a period, not the job.

let database: TestDatabase | undefined
let processor: Processor | undefined

afterEach(async () => {
  await processor?.stop()
  await database?.drop()
  processor = undefined
  database = undefined
})

async function start(at: string, intervalSeconds = 300): Promise<Processor> {
  database = await createTestDatabase()
  processor = await startProcessor(
    processorConfig(database.url, {
      INTERLOCK_CLOCK: 'simulated',
      INTERLOCK_CLOCK_START: at,
      INTERLOCK_WATCHDOG_INTERVAL_SECONDS: String(intervalSeconds),
      PATH: process.env.PATH,
    }),
    { projections: allProjections },
  )
  return processor
}

async function register(running: Processor, yaml: string): Promise<void> {
  const outcome = await running.bus.registerPipeline(yaml, { actor: 'test' })
  expect(outcome._tag).toBe('Right')
}

const eventsOf = async (running: Processor, stream: string): Promise<ReadonlyArray<RunEvent>> =>
  (await running.store.readStream(stream)).map((recorded) => recorded.event as RunEvent)

const ofTag = <Tag extends RunEvent['_tag']>(events: ReadonlyArray<RunEvent>, tag: Tag) =>
  events.filter((event): event is Extract<RunEvent, { _tag: Tag }> => event._tag === tag)

const at = (text: string) => Date.parse(text)

const CRON_NEW_YORK = `
pipeline: { id: ny-orders }
schedule:
  cron: "0 8 * * *"
  timezone: America/New_York
  evaluation: { window: 1h, interval: 30m }
validation:
  trigger: ALL
  rules: [{ key: rows, check: gte, field: count, value: 1000 }]
job:
  type: command
  config: { command: "true" }
`

describe('cron schedules (C4)', () => {
  it('opens each period at its cron instant in the schedule zone, across the spring-forward day', async () => {
    const running = await start('2026-03-06T00:00:00Z')
    await register(running, CRON_NEW_YORK)
    await running.advanceTo(at('2026-03-10T00:00:00Z'))

    const opened: Array<[string, string | undefined, string | undefined]> = []
    for (const period of ['2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09']) {
      const started = ofTag(await eventsOf(running, `run-ny-orders-default-${period}`), 'AttemptStarted')
      expect(started).toHaveLength(1)
      opened.push([period, started[0]?.cause, started[0]?.at])
    }
    // 08:00 EST is 13:00Z; from 2026-03-08 (EDT) 08:00 is 12:00Z.
    expect(opened).toEqual([
      ['2026-03-06', 'cron', '2026-03-06T13:00:00.000Z'],
      ['2026-03-07', 'cron', '2026-03-07T13:00:00.000Z'],
      ['2026-03-08', 'cron', '2026-03-08T12:00:00.000Z'],
      ['2026-03-09', 'cron', '2026-03-09T12:00:00.000Z'],
    ])
  })

  it('follows a changed cron expression and drops the fires the old one had queued', async () => {
    const running = await start('2026-03-02T00:00:00Z')
    await register(running, CRON_NEW_YORK)
    await running.advanceTo(at('2026-03-02T01:00:00Z'))
    await register(running, CRON_NEW_YORK.replace('"0 8 * * *"', '"30 9 * * *"'))
    await running.advanceTo(at('2026-03-03T00:00:00Z'))

    const started = ofTag(await eventsOf(running, 'run-ny-orders-default-2026-03-02'), 'AttemptStarted')
    expect(started.map((event) => event.at)).toEqual(['2026-03-02T14:30:00.000Z'])
  })
})

const DAILY_CRON = `
pipeline: { id: daily-ledger }
schedule:
  cron: "0 6 * * *"
  timezone: UTC
  evaluation: { window: 1h, interval: 30m }
validation:
  trigger: ALL
  rules: [{ key: rows, check: gte, field: count, value: 1000 }]
job:
  type: command
  config: { command: "true" }
`

describe('missed schedule (§5.3, L6)', () => {
  it('alerts once for a period whose fire opened nothing, and only after that fire', async () => {
    const running = await start('2026-03-02T00:00:00Z', 60)
    await register(running, DAILY_CRON)
    await running.bus.pipelineCommand('daily-ledger', { _tag: 'PausePipeline' }, { actor: 'test' })
    await running.advanceTo(at('2026-03-02T06:30:00Z'))
    await running.bus.pipelineCommand('daily-ledger', { _tag: 'ResumePipeline' }, { actor: 'test' })
    await running.advanceTo(at('2026-03-02T12:00:00Z'))

    const missed = ofTag(await eventsOf(running, 'run-daily-ledger-default-2026-03-02'), 'ScheduleMissed')
    expect(missed).toHaveLength(1)
    expect(missed[0]).toMatchObject({ expectedAt: '2026-03-02T06:00:00.000Z', cron: '0 6 * * *' })
    expect(Date.parse(missed[0]?.at ?? '')).toBeGreaterThanOrEqual(at('2026-03-02T06:30:00Z'))
    expect(await eventsOf(running, 'run-daily-ledger-default-2026-03-03')).toEqual([])

    // The next day's fire opens its period: nothing is missed.
    await running.advanceTo(at('2026-03-03T12:00:00Z'))
    const next = await eventsOf(running, 'run-daily-ledger-default-2026-03-03')
    expect(ofTag(next, 'AttemptStarted').map((event) => event.cause)).toEqual(['cron'])
    expect(ofTag(next, 'ScheduleMissed')).toEqual([])
  })

  it('sends nothing twice for the same fact, and a fresh watchdog repeating it appends nothing', async () => {
    const running = await start('2026-03-02T00:00:00Z', 60)
    await register(running, DAILY_CRON)
    await running.bus.pipelineCommand('daily-ledger', { _tag: 'PausePipeline' }, { actor: 'test' })
    await running.advanceTo(at('2026-03-02T06:30:00Z'))
    await running.bus.pipelineCommand('daily-ledger', { _tag: 'ResumePipeline' }, { actor: 'test' })
    await running.settle()

    const first = await running.watchdog.scan()
    expect(first.sent['missed-schedule']).toBe(1)
    await running.settle()
    const second = await running.watchdog.scan()
    expect(Object.values(second.sent).reduce((sum, count) => sum + count, 0)).toBe(0)

    const before = await eventsOf(running, 'run-daily-ledger-default-2026-03-02')
    const fresh = new Watchdog({
      bus: running.bus,
      timers: running.timers,
      pool: running.pool,
      clock: running.clock,
      intervalSeconds: 60,
    })
    const repeated = await fresh.scan()
    expect(repeated.sent['missed-schedule']).toBe(1)
    expect(await eventsOf(running, 'run-daily-ledger-default-2026-03-02')).toEqual(before)
    expect(ofTag(before, 'ScheduleMissed')).toHaveLength(1)
  })
})

const NEVER_READY = `
pipeline: { id: slow-feed }
schedule:
  timezone: UTC
  trigger: { key: landed, check: equals, field: status, value: READY }
  evaluation: { window: 12h, interval: 1h }
validation:
  trigger: ALL
  rules:
    - { key: rows, check: gte, field: count, value: 1000 }
job:
  type: command
  config: { command: "true" }
`

describe('stale runs (§5.2)', () => {
  it('ends a live attempt once its lock has expired, once', async () => {
    const running = await start('2026-03-02T06:00:00Z')
    await register(running, NEVER_READY)
    await running.bus.recordSensor(
      { pipelineId: 'slow-feed', key: 'landed', data: { status: 'READY', date: '2026-03-02' } },
      { actor: 'test' },
    )
    await running.advanceTo(at('2026-03-02T12:00:00Z'))

    const events = await eventsOf(running, 'run-slow-feed-default-2026-03-02')
    const started = ofTag(events, 'AttemptStarted')
    expect(started).toHaveLength(1)
    const timedOut = ofTag(events, 'RunTimedOut')
    expect(timedOut).toHaveLength(1)
    expect(timedOut[0]?.lockExpiredAt).toBe(started[0]?.lockExpiresAt)
    expect(Date.parse(timedOut[0]?.at ?? '')).toBeGreaterThan(Date.parse(started[0]?.lockExpiresAt ?? ''))
    // At most one scan interval late.
    expect(Date.parse(timedOut[0]?.at ?? '')).toBeLessThanOrEqual(
      Date.parse(started[0]?.lockExpiresAt ?? '') + 300_000,
    )
  })
})

const SENSOR_TRIGGERED = `
pipeline: { id: late-landing }
schedule:
  timezone: UTC
  trigger: { key: landed, check: equals, field: status, value: READY }
  evaluation: { window: 1h, interval: 30m }
validation:
  trigger: ALL
  rules: [{ key: rows, check: gte, field: count, value: 1000 }]
job:
  type: command
  config: { command: "true" }
`

describe('reconciliation (§5.5, D11)', () => {
  it('starts the run whose trigger sensor arrived while nothing could run', async () => {
    const running = await start('2026-03-02T06:00:00Z')
    await register(running, SENSOR_TRIGGERED)
    await running.bus.pipelineCommand('late-landing', { _tag: 'PausePipeline' }, { actor: 'test' })
    await running.bus.recordSensor(
      { pipelineId: 'late-landing', key: 'landed', data: { status: 'READY', date: '2026-03-02' } },
      { actor: 'test' },
    )
    await running.advanceTo(at('2026-03-02T07:00:00Z'))
    expect(ofTag(await eventsOf(running, 'run-late-landing-default-2026-03-02'), 'AttemptStarted')).toEqual(
      [],
    )

    await running.bus.pipelineCommand('late-landing', { _tag: 'ResumePipeline' }, { actor: 'test' })
    await running.advanceTo(at('2026-03-02T08:00:00Z'))
    const events = await eventsOf(running, 'run-late-landing-default-2026-03-02')
    expect(ofTag(events, 'AttemptStarted').map((event) => event.cause)).toEqual(['recovered'])
    expect(ofTag(events, 'TriggerRecovered')).toHaveLength(1)
  })
})
