import { createTestDatabase, type TestDatabase } from '@interlock/db'
import { allProjections, combineProjections } from '@interlock/projections'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { processorConfig } from './config.ts'
import { type Processor, startProcessor } from './processor.ts'

// Seed 001's cascade: silver completes → gold receives the `silver-orders` reading → gold evaluates → triggers.

const SILVER = `
pipeline: { id: silver-orders }
schedule:
  trigger: { key: bronze-landed, check: equals, field: status, value: READY }
validation:
  trigger: ALL
  rules: [{ key: bronze-landed, check: equals, field: status, value: READY }]
job: { type: command, config: { command: "true" } }
`
const GOLD = `
pipeline: { id: gold-revenue }
schedule:
  trigger: { key: silver-orders, check: equals, field: status, value: COMPLETE }
validation:
  trigger: ALL
  rules: [{ key: silver-orders, check: equals, field: status, value: COMPLETE }]
job: { type: command, config: { command: "true" } }
`
const UNRELATED = `
pipeline: { id: marketing-daily }
schedule:
  trigger: { key: crm-export, check: exists }
validation:
  trigger: ALL
  rules: [{ key: crm-export, check: exists }]
job: { type: command, config: { command: "true" } }
`
/** Readiness-only (job type none): ready is its success, and cascades like one. */
const GATE = `
pipeline: { id: bronze-gate }
schedule:
  trigger: { key: raw-landed, check: exists }
validation:
  trigger: ALL
  rules: [{ key: raw-landed, check: gte, field: files, value: 1 }]
job: { type: none }
`
const AFTER_GATE = `
pipeline: { id: silver-after-gate }
schedule:
  trigger: { key: bronze-gate, check: equals, field: status, value: COMPLETE }
job: { type: command, config: { command: "true" } }
`

let database: TestDatabase
let processor: Processor

beforeAll(async () => {
  database = await createTestDatabase()
  processor = await startProcessor(
    processorConfig(database.url, {
      INTERLOCK_CLOCK: 'simulated',
      INTERLOCK_CLOCK_START: '2026-01-05T06:00:00Z',
      INTERLOCK_ALERT_CONSOLE_ROUTE: 'none',
      PATH: process.env.PATH,
    }),
    { projections: [combineProjections('read-models', allProjections)] },
  )
  for (const config of [SILVER, GOLD, UNRELATED, GATE, AFTER_GATE])
    await processor.bus.registerPipeline(config, { actor: 'test' })
  await processor.settle()
})
afterAll(async () => {
  await processor.stop()
  await database.drop()
})

const types = async (stream: string) => (await processor.store.readStream(stream)).map((e) => e.type)

describe('cascade', () => {
  it('starts the downstream pipeline of a succeeded run, once, in the same period', async () => {
    await processor.bus.recordSensor(
      { pipelineId: 'silver-orders', key: 'bronze-landed', data: { status: 'READY', date: '2026-01-05' } },
      { actor: 'test' },
    )
    await processor.settle()
    expect(await types('run-silver-orders-default-2026-01-05')).toContain('JobSucceeded')
    const gold = await processor.store.readStream('run-gold-revenue-default-2026-01-05')
    const readings = gold.map((e) => e.event).filter((event) => event._tag === 'SensorReadingRecorded')
    expect(readings).toHaveLength(1)
    expect(readings[0]).toMatchObject({
      key: 'silver-orders',
      data: {
        status: 'COMPLETE',
        date: '2026-01-05',
        upstreamPipelineId: 'silver-orders',
        source: 'cascade',
      },
    })
    expect(gold.map((e) => e.type)).toEqual(
      expect.arrayContaining(['AttemptStarted', 'JobStartRequested', 'JobSucceeded']),
    )
    expect(await types('run-marketing-daily-default-2026-01-05')).toEqual([])
  })

  it('cascades from a readiness-only pipeline once it is ready, which starts no job of its own', async () => {
    await processor.bus.recordSensor(
      { pipelineId: 'bronze-gate', key: 'raw-landed', data: { files: 3, date: '2026-01-05' } },
      { actor: 'test' },
    )
    await processor.settle()
    const gate = await types('run-bronze-gate-default-2026-01-05')
    expect(gate).toContain('RunCompletedWithoutJob')
    expect(gate.filter((type) => type.startsWith('Job'))).toEqual([])
    const downstream = await processor.store.readStream('run-silver-after-gate-default-2026-01-05')
    expect(downstream[0]?.event).toMatchObject({
      _tag: 'SensorReadingRecorded',
      key: 'bronze-gate',
      data: { status: 'COMPLETE', upstreamPipelineId: 'bronze-gate', source: 'cascade' },
    })
    expect(downstream.map((e) => e.type)).toEqual(
      expect.arrayContaining(['JobStartRequested', 'JobSucceeded']),
    )
  })
})
