import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createTestDatabase, type TestDatabase } from '@interlock/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { processorConfig } from './config.ts'
import { type Processor, startProcessor } from './processor.ts'

// Two processors on one database share the work without double effects: a burst of 1,000 sensor writes
// over 200 pipelines, sent half through each, starts every requested job exactly once.

const PIPELINES = 200
const READINGS_PER_PIPELINE = 5

let database: TestDatabase
let jobService: Server
let port: number
const starts = new Map<string, number>()
let processors: Processor[] = []

beforeAll(async () => {
  database = await createTestDatabase()
  jobService = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => {
      body += chunk
    })
    request.on('end', () => {
      const attempt = (JSON.parse(body) as { attempt: string }).attempt
      starts.set(attempt, (starts.get(attempt) ?? 0) + 1)
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ runId: `job-${attempt}` }))
    })
  })
  await new Promise<void>((resolve) => jobService.listen(0, '127.0.0.1', resolve))
  port = (jobService.address() as AddressInfo).port
  const env = { INTERLOCK_ALLOW_PRIVATE_TARGETS: '127.0.0.1/32' }
  processors = [
    await startProcessor(processorConfig(database.url, { ...env, INTERLOCK_PROCESSOR_ID: 'one' })),
    await startProcessor(processorConfig(database.url, { ...env, INTERLOCK_PROCESSOR_ID: 'two' })),
  ]
})
afterAll(async () => {
  for (const processor of processors) await processor.stop()
  await new Promise((resolve) => jobService.close(resolve))
  await database.drop()
})

const config = (id: string) => `
pipeline: { id: ${id} }
schedule:
  trigger: { key: landed, check: equals, field: status, value: COMPLETE }
validation:
  trigger: ALL
  rules: [{ key: landed, check: equals, field: status, value: COMPLETE }]
job:
  type: http
  config:
    url: http://127.0.0.1:${'PORT'}/jobs/{{pipelineId}}
    body: '{"attempt":"{{attemptId}}"}'
`

describe('two processors on one database', () => {
  it('start every requested job exactly once under a burst of 1,000 sensor writes over 200 pipelines', {
    timeout: 180_000,
  }, async () => {
    const [one, two] = processors as [Processor, Processor]
    const ids = Array.from({ length: PIPELINES }, (_, i) => `burst-${String(i).padStart(3, '0')}`)
    for (const id of ids) {
      const registered = await one.bus.registerPipeline(config(id).replace('PORT', String(port)), {
        actor: 'test',
      })
      expect(registered._tag).toBe('Right')
    }
    const writes = ids.flatMap((id, i) =>
      Array.from({ length: READINGS_PER_PIPELINE }, (_, n) => ({
        via: (i + n) % 2 === 0 ? one : two,
        reading: { pipelineId: id, key: 'landed', data: { status: 'COMPLETE', date: '2026-01-05', n } },
      })),
    )
    const CONCURRENCY = 16
    for (let i = 0; i < writes.length; i += CONCURRENCY) {
      await Promise.all(
        writes
          .slice(i, i + CONCURRENCY)
          .map(({ via, reading }) => via.bus.recordSensor(reading, { actor: 'test' })),
      )
    }
    for (let round = 0; round < 3; round++) {
      await one.settle()
      await two.settle()
    }
    expect(writes).toHaveLength(PIPELINES * READINGS_PER_PIPELINE)
    // Readings that land after a pipeline's job completed are late data and start a (budgeted) rerun,
    // so a pipeline may have two attempts; every attempt's job must start exactly once.
    const requested = await one.pool.query<{ attempt: string }>(
      "select data->>'attemptId' as attempt from events where type = 'JobStartRequested'",
    )
    const requestedAttempts = requested.rows.map((row) => row.attempt).sort()
    expect(new Set(requestedAttempts).size).toBe(requestedAttempts.length)
    expect([...starts.keys()].sort()).toEqual(requestedAttempts)
    expect([...starts.values()].every((count) => count === 1)).toBe(true)
    const firstAttempts = requestedAttempts.filter((attempt) => attempt.endsWith('/1'))
    expect(firstAttempts).toHaveLength(PIPELINES)
    const succeeded = await one.pool.query<{ n: number }>(
      "select count(*)::int as n from events where type = 'JobSucceeded'",
    )
    expect(succeeded.rows[0]!.n).toBe(requestedAttempts.length)
  })
})
