import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createTestDatabase } from '@interlock/db'
import { InterlockEvent } from '@interlock/domain'
import { EventStore, makeEventCodec } from '@interlock/eventstore'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { systemClock } from './clock.ts'
import { CommandBus } from './command-bus.ts'
import { processorConfig } from './config.ts'
import { startProcessor } from './processor.ts'

// Kills a processor (SIGKILL, in a child process) at each point of a job start where a crash matters,
// then lets a fresh processor take over the log: no job may start twice, and none may be lost silently.

const CHILD = fileURLToPath(new URL('../test-support/processor-child.ts', import.meta.url))
const JOB = fileURLToPath(new URL('../test-support/append-line.mjs', import.meta.url))

const pipeline = (startsFile: string) => `
pipeline: { id: crash-orders }
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

function runChild(databaseUrl: string, crashPoint: string): Promise<NodeJS.Signals | number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, databaseUrl, crashPoint], {
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => resolve(signal ?? code))
  })
}

const lines = (file: string) => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean)
  } catch {
    return []
  }
}

describe.each([
  { point: 'claimed', starts: 0, outcome: 'TriggerFailed' },
  { point: 'called', starts: 1, outcome: 'TriggerFailed' },
  { point: 'recorded', starts: 1, outcome: 'JobSucceeded' },
] as const)('a processor killed after the job start was $point', ({ point, starts, outcome }) => {
  it(`starts the job ${starts === 0 ? 'never' : 'once'} and ends the run with ${outcome}`, async () => {
    const database = await createTestDatabase()
    const startsFile = join(await mkdtemp(join(tmpdir(), 'interlock-crash-')), 'starts')
    // Register and write the sensor through a bare bus (no reactor): the first evaluation is a timer due
    // at once, so the child's reactor goes straight from the log to the job start.
    const pool = new pg.Pool({ connectionString: database.url })
    const bus = new CommandBus({
      store: new EventStore({ pool, codec: makeEventCodec(InterlockEvent) }),
      clock: systemClock,
    })
    await bus.registerPipeline(pipeline(startsFile), { actor: 'test' })
    await bus.recordSensor(
      { pipelineId: 'crash-orders', key: 'ready', data: { status: 'READY' } },
      { actor: 'test' },
    )
    await bus.store.close()
    await pool.end()

    expect(await runChild(database.url, point)).toBe('SIGKILL')

    const recovery = await startProcessor(
      processorConfig(database.url, { INTERLOCK_PROCESSOR_ID: 'recovery' }),
    )
    await recovery.settle()
    const events = (await recovery.store.readAll({ transactionId: 0n, position: 0n }, { limit: 10_000 }))
      .events
    const runEvents = events.filter((e) => e.streamId.startsWith('run-crash-orders-')).map((e) => e.event)
    await recovery.stop()
    await database.drop()

    expect(lines(startsFile)).toHaveLength(starts)
    expect(runEvents.filter((event) => event._tag === 'JobStartRequested')).toHaveLength(1)
    const last = runEvents.filter((event) => event._tag === 'JobSucceeded' || event._tag === 'TriggerFailed')
    expect(last.map((event) => event._tag)).toEqual([outcome])
    if (outcome === 'TriggerFailed') {
      expect(JSON.stringify(last[0])).toContain('TRIGGER_OUTCOME_UNKNOWN')
    }
  })
})
