/**
 * API benchmark: single sensor POSTs/s at 32 connections (with p50/p99), readings/s through the batch
 * route, and the event store's raw single-event append rate on the same database for comparison; beside
 * each, the CPU it costs per request and the rate the machine's cores allow at that cost. Prints JSON.
 *
 *   npm run bench -w @interlock/api   (INTERLOCK_BENCH_SECONDS=5 per measurement, INTERLOCK_BENCH_BATCHES=48,
 *                                      INTERLOCK_BENCH_BATCH_CONNECTIONS=4,
 *                                      INTERLOCK_BENCH_ONLY=single|batch to measure one of the two)
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { backendPids, createTestDatabase, processCpuSeconds } from '@interlock/db'
import { InterlockEvent, instantOf } from '@interlock/domain'
import { EventStore, makeEventCodec, type StreamAppend } from '@interlock/eventstore'
import autocannon from 'autocannon'
import pg from 'pg'
import { createToken } from '../src/auth/api-token.ts'

const SECONDS = Number(process.env.INTERLOCK_BENCH_SECONDS ?? 5)
const CONNECTIONS = 32
const BATCH_CONNECTIONS = Number(process.env.INTERLOCK_BENCH_BATCH_CONNECTIONS ?? 4)
const BATCH_SIZE = 1_000
const ONLY = process.env.INTERLOCK_BENCH_ONLY
if (ONLY !== undefined && ONLY !== 'single' && ONLY !== 'batch') {
  throw new Error(`INTERLOCK_BENCH_ONLY is "single" or "batch", not ${JSON.stringify(ONLY)}`)
}
/** Batches sent in all: a batch takes seconds, so the batch run is counted in batches, not seconds. */
const BATCHES = Number(process.env.INTERLOCK_BENCH_BATCHES ?? 48)
/** Readings are spread over pipelines and days as real sensor writers are, so no one run stream is hot. */
const PIPELINES = 50
const DAYS = 365

const pipelineYaml = (id: string) => `
pipeline:
  id: ${id}
schedule:
  timezone: UTC
  trigger: { key: orders-landed, check: equals, field: status, value: COMPLETE }
validation:
  trigger: ALL
  rules:
    - { key: orders-count, check: gte, field: count, value: 1000 }
job:
  type: command
  config: { command: "echo done" }
`

const dayOf = (n: number) =>
  new Date(Date.UTC(2025, 0, 1) + (n % DAYS) * 86_400_000).toISOString().slice(0, 10)

/**
 * CPU per request of the API process, of the Postgres backends serving it and of the load generator:
 * what the machine spends per request, which other load on it disturbs far less than requests/s.
 */
async function cpuPerRequest<T>(
  serverPid: number,
  pool: pg.Pool,
  work: () => Promise<T>,
  requests: (result: T) => number,
) {
  const backends = await backendPids(pool)
  const server = processCpuSeconds([serverPid])
  const postgres = processCpuSeconds(backends)
  const generator = process.cpuUsage()
  const result = await work()
  const count = Math.max(1, requests(result))
  const used = process.cpuUsage(generator)
  const serverAfter = processCpuSeconds([serverPid])
  // Connections the API opened meanwhile count whole: all their CPU was spent in the measurement.
  const postgresAfter = processCpuSeconds([...new Set([...backends, ...(await backendPids(pool))])])
  const perRequest = (before: number | null, after: number | null) =>
    before === null || after === null ? null : Math.round(((after - before) * 1e6) / count)
  return {
    result,
    cpuUsPerRequest: {
      api: perRequest(server, serverAfter),
      postgres: perRequest(postgres, postgresAfter),
      loadGenerator: Math.round((used.user + used.system) / count),
    },
  }
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)))
  })
}

/**
 * Runs `work` for each of the BATCHES batches on BATCH_CONNECTIONS lanes, each lane taking the next batch
 * when it is free; answers the seconds until the last one is done.
 */
async function onBatchLanes(work: (batch: number) => Promise<void>): Promise<number> {
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: BATCH_CONNECTIONS }, async () => {
      for (let b = next++; b < BATCHES; b = next++) await work(b)
    }),
  )
  return (performance.now() - started) / 1000
}

/**
 * Appends BATCHES x BATCH_SIZE sensor-reading events straight into the store, each in a run stream of its
 * own under its pipeline's guard, with the metadata the batch route records, on BATCH_CONNECTIONS lanes.
 */
async function storeBatchedAppend(store: EventStore<InterlockEvent>, tokenId: string) {
  const versions = new Map<string, number>()
  for (let index = 0; index < PIPELINES; index++) {
    versions.set(`orders-${index}`, await store.streamVersion(`pipeline-orders-${index}`))
  }
  const batchOf = (b: number): Array<StreamAppend<InterlockEvent>> =>
    Array.from({ length: BATCH_SIZE }, (_, i) => {
      const pipelineId = `orders-${(b * BATCH_SIZE + i) % PIPELINES}`
      const period = dayOf(b * 7 + Math.floor(i / PIPELINES))
      return {
        streamId: `run-store-${pipelineId}-default-${period}-${b}`,
        expected: 0,
        guard: { streamId: `pipeline-${pipelineId}`, version: versions.get(pipelineId)! },
        parts: [
          {
            events: [
              {
                _tag: 'SensorReadingRecorded',
                at: instantOf(Date.now()),
                key: 'orders-count',
                data: { count: 1_000 + i, date: period, source: 'bench' },
              },
            ],
            metadata: {
              actor: `token:${tokenId}`,
              commandId: `sensor:${randomUUID()}:default`,
              correlationId: randomUUID(),
              configVersion: 1,
              tags: { pipelineId, scheduleId: 'default', period },
            },
            idempotent: false,
          },
        ],
      }
    })
  let appended = 0
  const seconds = await onBatchLanes(async (b) => {
    const outcomes = await store.appendMany(batchOf(b))
    appended += outcomes.filter((outcome) => outcome._tag === 'Appended').length
  })
  return {
    connections: BATCH_CONNECTIONS,
    eventsPerAppend: BATCH_SIZE,
    events: appended,
    eventsPerSecond: Math.round(appended / seconds),
  }
}

const database = await createTestDatabase()
const child = spawn(
  process.execPath,
  [
    // INTERLOCK_BENCH_PROFILE=<dir>: the API process writes a V8 CPU profile there when it stops.
    ...(process.env.INTERLOCK_BENCH_PROFILE === undefined
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${process.env.INTERLOCK_BENCH_PROFILE}`]),
    // INTERLOCK_BENCH_NODE_FLAGS: flags for the API process (e.g. --perf-basic-prof for `perf` to name JS frames).
    ...(process.env.INTERLOCK_BENCH_NODE_FLAGS?.split(' ').filter((flag) => flag !== '') ?? []),
    fileURLToPath(new URL('./bench-server.ts', import.meta.url)),
    database.url,
  ],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
)
try {
  const line = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout! }).once('line', resolve),
  )
  const url = `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`
  const pool = new pg.Pool({ connectionString: database.url, max: CONNECTIONS })
  // An idle connection the server closes (a restart, another test dropping databases) is replaced, not fatal.
  pool.on('error', () => {})
  const created = await createToken(pool, { name: 'bench', scopes: ['admin'] })
  const token = created.token
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  for (let index = 0; index < PIPELINES; index++) {
    const response = await fetch(`${url}/api/pipelines/orders-${index}`, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/yaml' },
      body: pipelineYaml(`orders-${index}`),
    })
    if (response.status !== 201) throw new Error(`registering orders-${index} answered ${response.status}`)
  }

  let sent = 0
  const serverPid = child.pid!
  const measureSingle = () =>
    cpuPerRequest(
      serverPid,
      pool,
      () =>
        run({
          url,
          connections: CONNECTIONS,
          duration: SECONDS,
          requests: [
            {
              method: 'POST',
              headers,
              setupRequest: (request) => {
                const n = sent++
                return {
                  ...request,
                  path: `/api/pipelines/orders-${n % PIPELINES}/sensors/orders-count`,
                  body: JSON.stringify({
                    count: 1_000 + n,
                    date: dayOf(Math.floor(n / PIPELINES)),
                    source: 'bench',
                  }),
                }
              },
            },
          ],
        }),
      (result) => result['2xx'],
    )

  // The batches go out on plain HTTP lanes, timed to the last answer: autocannon ends a run with `amount`
  // on its one-second tick, which made the batch figure 24,000 readings over exactly 1 s or 2 s.
  const batchBodies = Array.from({ length: BATCHES }, (_, b) =>
    JSON.stringify({
      readings: Array.from({ length: BATCH_SIZE }, (_, i) => ({
        pipelineId: `orders-${(b * BATCH_SIZE + i) % PIPELINES}`,
        key: 'orders-count',
        data: { count: 1_000 + i, date: dayOf(b * 7 + Math.floor(i / PIPELINES)), source: 'bench' },
      })),
    }),
  )
  const measureBatch = () =>
    cpuPerRequest(
      serverPid,
      pool,
      async () => {
        const latencies: number[] = []
        let accepted = 0
        let failed = 0
        const seconds = await onBatchLanes(async (b) => {
          const sent = performance.now()
          const response = await fetch(`${url}/api/sensors`, {
            method: 'POST',
            headers,
            body: batchBodies[b]!,
          })
          const answer = (await response.json()) as { accepted?: number }
          latencies.push(performance.now() - sent)
          if (response.ok && answer.accepted === BATCH_SIZE) accepted++
          else failed++
        })
        latencies.sort((a, b) => a - b)
        const at = (p: number) =>
          Math.round(latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? 0)
        return { accepted, failed, seconds, p50: at(50), p99: at(99) }
      },
      (result) => result.accepted * BATCH_SIZE,
    )

  const singleRun = ONLY === 'batch' ? undefined : await measureSingle()
  const batchRun = ONLY === 'single' ? undefined : await measureBatch()

  // The ceiling underneath: single-event appends straight into the store at the same concurrency.
  const store = new EventStore({ pool, codec: makeEventCodec(InterlockEvent), notify: false })
  // Its CPU per event, of this process (the store's encoding) and of Postgres, tells which of the two bounds it.
  const storeBatchedRun =
    ONLY === 'single'
      ? undefined
      : await cpuPerRequest(
          serverPid,
          pool,
          () => storeBatchedAppend(store, created.id),
          (result) => result.events,
        )
  const storeBatched = storeBatchedRun && {
    ...storeBatchedRun.result,
    cpuUsPerEvent: {
      store: storeBatchedRun.cpuUsPerRequest.loadGenerator,
      postgres: storeBatchedRun.cpuUsPerRequest.postgres,
    },
  }
  let appends = 0
  const deadline = performance.now() + SECONDS * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, writer) => {
      for (let n = 0; performance.now() < deadline; n++) {
        await store.append(`pipeline-raw-${writer}-${n}`, 'any', [
          { _tag: 'PipelinePaused', at: '2026-01-01T00:00:00.000Z' } as InterlockEvent,
        ])
        appends++
      }
    }),
  )
  const rawPerSecond = Math.round(appends / ((performance.now() - started) / 1000))
  await store.close()
  await pool.end()

  // What this machine's cores allow at the CPU each request (reading) costs the API, its Postgres backends
  // and the load generator together: a ceiling no tuning of waits can pass, beside the measured figure.
  const cores = availableParallelism()
  const ceiling = (cpu: { api: number | null; postgres: number | null; loadGenerator: number }) =>
    cpu.api === null || cpu.postgres === null
      ? null
      : Math.round((cores * 1e6) / (cpu.api + cpu.postgres + cpu.loadGenerator))
  const singlePerSecond = singleRun && Math.round(singleRun.result['2xx'] / SECONDS)
  const batchedPerSecond =
    batchRun && Math.round((batchRun.result.accepted * BATCH_SIZE) / batchRun.result.seconds)
  const met = (figure: number | undefined, holds: (figure: number) => boolean) =>
    figure === undefined ? null : holds(figure)
  console.log(
    JSON.stringify(
      {
        seconds: SECONDS,
        singleSensorPost: singleRun && {
          connections: CONNECTIONS,
          requestsPerSecond: singlePerSecond,
          latencyMs: {
            p50: singleRun.result.latency.p50,
            p99: singleRun.result.latency.p99,
            max: singleRun.result.latency.max,
          },
          non2xx: singleRun.result.non2xx,
          errors: singleRun.result.errors,
          cpuUsPerRequest: singleRun.cpuUsPerRequest,
          cpuCeilingPerSecond: ceiling(singleRun.cpuUsPerRequest),
        },
        batchSensorPost: batchRun && {
          connections: BATCH_CONNECTIONS,
          readingsPerRequest: BATCH_SIZE,
          batches: batchRun.result.accepted,
          seconds: Math.round(batchRun.result.seconds * 100) / 100,
          readingsPerSecond: batchedPerSecond,
          latencyMs: { p50: batchRun.result.p50, p99: batchRun.result.p99 },
          failed: batchRun.result.failed,
          cpuUsPerReading: batchRun.cpuUsPerRequest,
          cpuCeilingPerSecond: ceiling(batchRun.cpuUsPerRequest),
        },
        eventStoreRawAppend: { writers: CONNECTIONS, appendsPerSecond: rawPerSecond },
        // The same readings' rows appended by the store itself, as the batch route's writes shape them: what
        // Postgres takes on this machine with no HTTP, decoding or deciding in the way.
        eventStoreBatchedAppend: storeBatched,
        machine: { cores },
        targets: {
          singlePostsPerSecond: { target: 5_000, met: met(singlePerSecond, (n) => n >= 5_000) },
          batchedReadingsPerSecond: { target: 50_000, met: met(batchedPerSecond, (n) => n >= 50_000) },
          singleP99Ms: { target: 50, met: met(singleRun?.result.latency.p99, (n) => n <= 50) },
        },
      },
      null,
      2,
    ),
  )
} finally {
  child.kill('SIGTERM')
  await new Promise((resolve) => child.once('exit', resolve))
  await database.drop()
}
