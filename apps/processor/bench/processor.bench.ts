/**
 * Processor benchmark, printed as JSON:
 * - sensor → job start latency (p50/p99) at a steady load: the time from sending a trigger reading to the
 *   job service receiving the start request, through the command bus, the log reactor and an HTTP job;
 * - commands/s the command handler sustains at 16 concurrent writers (sensor readings that decide);
 * - projection catch-up: events/s when every projection is rebuilt from position 0.
 * Targets (issue 6): p50 ≤ 25 ms, p99 ≤ 100 ms, catch-up ≥ 20,000 events/s.
 *
 *   npm run bench -w @interlock/processor     (INTERLOCK_BENCH_SECONDS=5 per phase by default)
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createTestDatabase } from '@interlock/db'
import { allProjections, combineProjections, rebuildProjection } from '@interlock/projections'
import { processorConfig } from '../src/config.ts'
import { startProcessor } from '../src/processor.ts'

const SECONDS = Number(process.env.INTERLOCK_BENCH_SECONDS ?? 5)
const PIPELINES = 50
const STEADY_RATE_PER_SECOND = 40
const WRITERS = 16

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!
const round = (value: number) => Number(value.toFixed(2))

const sentAt = new Map<string, number>()
const latencies: number[] = []
const jobService = createServer((request, response) => {
  let body = ''
  request.on('data', (chunk) => {
    body += chunk
  })
  request.on('end', () => {
    const { pipeline, date } = JSON.parse(body) as { pipeline: string; date: string }
    const sent = sentAt.get(`${pipeline}/${date}`)
    if (sent !== undefined) latencies.push(performance.now() - sent)
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end('{"runId":"bench"}')
  })
})
await new Promise<void>((resolve) => jobService.listen(0, '127.0.0.1', resolve))
const port = (jobService.address() as AddressInfo).port

// The processor's read models as one subscription (the log is read and decoded once per batch), as
// `interlock serve` runs them.
const readModels = combineProjections('read-models', allProjections)
const database = await createTestDatabase()
const processor = await startProcessor(
  processorConfig(database.url, {
    INTERLOCK_ALLOW_PRIVATE_TARGETS: '127.0.0.1/32',
    INTERLOCK_PROCESSOR_ID: 'bench',
    INTERLOCK_ALERT_CONSOLE_ROUTE: 'none',
  }),
  { projections: [readModels], poolSize: 20 },
)
try {
  const ids = Array.from({ length: PIPELINES }, (_, i) => `bench-${i}`)
  for (const id of ids) {
    await processor.bus.registerPipeline(
      `
pipeline: { id: ${id} }
schedule:
  trigger: { key: landed, check: equals, field: status, value: COMPLETE }
validation:
  trigger: ALL
  rules: [{ key: landed, check: equals, field: status, value: COMPLETE }]
job:
  type: http
  config:
    url: http://127.0.0.1:${port}/jobs
    body: '{"pipeline":"{{pipelineId}}","date":"{{date}}"}'
`,
      { actor: 'bench' },
    )
  }

  // 1. Steady load: one trigger reading every 1/rate s, each opening a new period (a new run).
  const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10)
  const total = SECONDS * STEADY_RATE_PER_SECOND
  const started = performance.now()
  for (let n = 0; n < total; n++) {
    const due = started + (n * 1000) / STEADY_RATE_PER_SECOND
    const wait = due - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    const pipeline = ids[n % PIPELINES]!
    const date = day(Math.floor(n / PIPELINES))
    sentAt.set(`${pipeline}/${date}`, performance.now())
    void processor.bus.recordSensor(
      { pipelineId: pipeline, key: 'landed', data: { status: 'COMPLETE', date } },
      { actor: 'bench' },
    )
  }
  await processor.settle()

  // 2. Throughput: 16 writers sending readings that are recorded and decided (no trigger: no job).
  let commands = 0
  const deadline = performance.now() + SECONDS * 1000
  const throughputStart = performance.now()
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      for (let n = 0; performance.now() < deadline; n++) {
        await processor.bus.recordSensor(
          {
            pipelineId: ids[(writer + n) % PIPELINES]!,
            key: 'row-count',
            data: { count: n, date: day(400 + writer) },
          },
          { actor: 'bench' },
        )
        commands++
      }
    }),
  )
  const commandsPerSecond = commands / ((performance.now() - throughputStart) / 1000)
  await processor.settle()

  // 3. Projection catch-up: rebuild every projection from position 0 and time it.
  const logSize = Number(
    (await processor.pool.query<{ n: string }>('select count(*) as n from events')).rows[0]!.n,
  )
  const rebuildStart = performance.now()
  await rebuildProjection(processor.store, readModels)
  await processor.settle()
  const rebuildSeconds = (performance.now() - rebuildStart) / 1000

  // Sorted here, after every phase: a start the job service receives late still counts.
  latencies.sort((a, b) => a - b)
  const p50 = percentile(latencies, 50)
  const p99 = percentile(latencies, 99)
  const catchUp = logSize / rebuildSeconds
  console.log(
    JSON.stringify(
      {
        benchmark: 'processor',
        node: process.version,
        secondsPerPhase: SECONDS,
        sensorToJobStart: {
          rate: STEADY_RATE_PER_SECOND,
          starts: latencies.length,
          p50Ms: round(p50),
          p99Ms: round(p99),
          maxMs: round(latencies.at(-1) ?? 0),
        },
        commandHandler: { writers: WRITERS, commands, commandsPerSecond: Math.round(commandsPerSecond) },
        projectionCatchUp: {
          projections: allProjections.length,
          logSize,
          seconds: round(rebuildSeconds),
          eventsPerSecond: Math.round(catchUp),
          note: 'log events per second applied to all read models (one combined subscription)',
        },
        targets: { p50: p50 <= 25, p99: p99 <= 100, catchUp: catchUp >= 20_000 },
      },
      null,
      2,
    ),
  )
} finally {
  await processor.stop()
  await new Promise((resolve) => jobService.close(resolve))
  await database.drop()
}
