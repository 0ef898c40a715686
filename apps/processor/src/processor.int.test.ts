import { createTestDatabase, type TestDatabase } from '@interlock/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { processorConfig } from './config.ts'
import { type Processor, startProcessor } from './processor.ts'

// Sensor-triggered daily pipeline whose data never passes while it keeps evaluating past its deadline:
// nothing runs, so the SLA must warn and then breach.
const LATE = `
pipeline: { id: late-orders }
schedule:
  timezone: UTC
  trigger: { key: landed, check: equals, field: status, value: COMPLETE }
  evaluation: { window: 30h, interval: 1h }
sla: { deadline: "10:00", expectedDuration: 30m }
validation:
  trigger: ALL
  rules:
    - { key: landed, check: equals, field: status, value: COMPLETE }
    - { key: rows, check: gte, field: count, value: 1000 }
job:
  type: command
  config: { command: "true" }
`

let database: TestDatabase
let processor: Processor
const T0 = Date.parse('2026-01-05T06:00:00Z')

beforeAll(async () => {
  database = await createTestDatabase()
  processor = await startProcessor(
    processorConfig(database.url, {
      INTERLOCK_CLOCK: 'simulated',
      INTERLOCK_CLOCK_START: new Date(T0).toISOString(),
    }),
  )
})
afterAll(async () => {
  await processor.stop()
  await database.drop()
})

const stream = 'run-late-orders-default-2026-01-05'
const events = async () => (await processor.store.readStream(stream)).map((e) => e.event)

describe('processor under a simulated clock', () => {
  it('fires the SLA warning and breach at their exact virtual instants', async () => {
    await processor.bus.registerPipeline(LATE, { actor: 'test' })
    await processor.bus.recordSensor(
      { pipelineId: 'late-orders', key: 'landed', data: { status: 'COMPLETE', date: '2026-01-05' } },
      { actor: 'test' },
    )
    await processor.settle()
    const fired = await processor.advanceTo(Date.parse('2026-01-06T12:00:00Z'))
    expect(fired).toBeGreaterThan(0)
    const all = await events()
    const scheduled = all.find((event) => event._tag === 'SlaScheduled')
    expect(scheduled).toMatchObject({
      warningAt: '2026-01-06T09:30:00.000Z',
      breachAt: '2026-01-06T10:00:00.000Z',
    })
    const warning = all.filter((event) => event._tag === 'SlaWarningRaised')
    const breach = all.filter((event) => event._tag === 'SlaBreachRaised')
    expect(warning.map((event) => event.at)).toEqual(['2026-01-06T09:30:00.000Z'])
    expect(breach.map((event) => event.at)).toEqual(['2026-01-06T10:00:00.000Z'])
    expect(processor.clock.now()).toBe(Date.parse('2026-01-06T12:00:00Z'))
  })

  it('changes nothing when a fired timer is delivered again, early or late', async () => {
    const before = await events()
    await processor.bus.runCommand(
      { pipelineId: 'late-orders', scheduleId: 'default', period: '2026-01-05' },
      { _tag: 'FireSlaTimer', kind: 'absolute', alert: 'breach' },
      { actor: 'test', commandId: 'duplicate-breach-timer' },
    )
    await processor.bus.runCommand(
      { pipelineId: 'late-orders', scheduleId: 'default', period: '2026-01-05' },
      { _tag: 'FireSlaTimer', kind: 'absolute', alert: 'warning' },
      { actor: 'test', commandId: 'duplicate-warning-timer' },
    )
    await processor.settle()
    expect(await events()).toEqual(before)
  })
})
