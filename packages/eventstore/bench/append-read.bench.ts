/**
 * Event store benchmark: appends/s and latency at 1, 8 and 16 writers, batched appends, the raw
 * single-row INSERT ceiling measured in the same run, and readAll events/s. Prints JSON.
 *
 *   npm run bench -w @interlock/eventstore            (INTERLOCK_BENCH_SECONDS=2 per cell, INTERLOCK_BENCH_ROUNDS=5 pairs)
 */

import { backendPids, createTestDatabase, processCpuSeconds } from '@interlock/db'
import { Schema } from 'effect'
import pg from 'pg'
import { START } from '../src/checkpoint.ts'
import { makeEventCodec, type RawEvent, rawCodec } from '../src/codec.ts'
import { EventStore } from '../src/event-store.ts'

const SECONDS = Number(process.env.INTERLOCK_BENCH_SECONDS ?? 2)
/** Raw/append pairs per writer count. */
const ROUNDS = Number(process.env.INTERLOCK_BENCH_ROUNDS ?? 5)

const SensorReadingRecorded = Schema.TaggedStruct('SensorReadingRecorded', {
  pipelineId: Schema.String,
  key: Schema.String,
  period: Schema.String,
  data: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  receivedAt: Schema.String,
})
const schemaCodec = makeEventCodec(SensorReadingRecorded)

/** ≈ 300 bytes of JSON, the size of a typical sensor reading. */
function reading(writer: number, n: number): RawEvent {
  return {
    _tag: 'SensorReadingRecorded',
    pipelineId: `orders-daily-${writer}`,
    key: 'upstream-complete',
    period: '2026-11-21',
    data: {
      status: 'ready',
      rowCount: 1_000_000 + n,
      lagSeconds: n % 90,
      date: '2026-11-21',
      source: 'bench',
    },
    receivedAt: '2026-11-21T06:00:00.000Z',
  }
}

interface Cell {
  readonly writers: number
  readonly eventsPerAppend: number
  readonly operations: number
  readonly eventsPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** CPU per operation: this process, and the Postgres backends serving it (when the server is local). */
  readonly nodeCpuUsPerOp: number
  readonly postgresCpuUsPerOp: number | null
}

function percentile(sorted: ReadonlyArray<number>, p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!
}

async function measure(
  writers: number,
  eventsPerAppend: number,
  operation: (writer: number, n: number) => Promise<void>,
): Promise<Cell> {
  const latencies: number[] = []
  const backends = await backendPids(monitor)
  const postgresBefore = processCpuSeconds(backends)
  const nodeBefore = process.cpuUsage()
  const deadline = performance.now() + SECONDS * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let n = 0; performance.now() < deadline; n++) {
        const begin = performance.now()
        await operation(writer, n)
        latencies.push(performance.now() - begin)
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  const node = process.cpuUsage(nodeBefore)
  // Connections the pool opened during the cell count from their start.
  const postgresAfter = processCpuSeconds([...new Set([...backends, ...(await backendPids(monitor))])])
  latencies.sort((a, b) => a - b)
  return {
    writers,
    eventsPerAppend,
    operations: latencies.length,
    eventsPerSecond: Math.round((latencies.length * eventsPerAppend) / elapsed),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    nodeCpuUsPerOp: Math.round((node.user + node.system) / latencies.length),
    postgresCpuUsPerOp:
      postgresBefore === null || postgresAfter === null
        ? null
        : Math.round(((postgresAfter - postgresBefore) * 1e6) / latencies.length),
  }
}

const database = await createTestDatabase()
// Idle connections stay open, so each cell's backends are the ones measured from its start.
const pool = new pg.Pool({ connectionString: database.url, max: 16, idleTimeoutMillis: 0 })
// Finds the pool's backends from outside it (from inside, a pool of one would hide its only connection).
const monitor = new pg.Client({ connectionString: database.url })
await monitor.connect()
try {
  // The ceiling: the same columns and indexes as events, the same row (command id included), one plain
  // INSERT per row with the version computed by the client, no checks.
  await pool.query(
    `create table raw_events (like events including defaults including identity including indexes)`,
  )
  const store = new EventStore({ pool, codec: rawCodec, notify: process.env.INTERLOCK_BENCH_NOTIFY !== '0' })

  let runId = 0
  const rawInsert = (writers: number) => {
    const run = runId++
    const versions = new Array<number>(writers).fill(0)
    return measure(writers, 1, async (writer) => {
      const event = reading(writer, versions[writer]!)
      const { _tag, ...data } = event
      versions[writer]! += 1
      const commandId = `raw-${run}-${writer}-${versions[writer]}`
      await pool.query({
        name: 'bench_raw_insert',
        text: `insert into raw_events (stream_id, stream_version, type, schema_version, data, metadata, command_id)
               values ($1, $2, $3, 1, $4, $5, $6)`,
        values: [
          `raw-${run}-${writer}`,
          versions[writer],
          _tag,
          JSON.stringify(data),
          JSON.stringify({ actor: 'bench', commandId }),
          commandId,
        ],
      })
    })
  }
  // Each writer owns a stream and appends with the exact expected version, as the command handler does.
  const append = (writers: number, eventsPerAppend: number) => {
    const run = runId++
    const versions = new Array<number>(writers).fill(0)
    return measure(writers, eventsPerAppend, async (writer, n) => {
      const events = Array.from({ length: eventsPerAppend }, (_, i) =>
        reading(writer, n * eventsPerAppend + i),
      )
      const result = await store.append(`run-bench-${run}-${writer}`, versions[writer]!, events, {
        actor: 'bench',
        commandId: `cmd-${run}-${writer}-${n}`,
      })
      versions[writer] = result.nextExpectedVersion
    })
  }

  // Warm up connections and plans, then interleave raw and append cells, ROUNDS pairs per writer count,
  // so drift and bursts of other load (a checkpoint, autovacuum of the growing log) hit both alike; the
  // ratio reported is the median of the pairs' ratios, each pair's own figures kept beside it.
  await rawInsert(16)
  await append(16, 1)
  // ratio: appends/s over raw INSERTs/s in the same pair. cpuRatio: raw CPU per event (this process and
  // its Postgres backends) over append CPU per event, the ratio a CPU-bound machine converges to and one
  // that other load on the machine disturbs far less than wall-clock throughput.
  const cpuPerOp = (cell: Cell) =>
    cell.postgresCpuUsPerOp === null ? null : cell.nodeCpuUsPerOp + cell.postgresCpuUsPerOp
  const median = (values: ReadonlyArray<number>) => [...values].sort((a, b) => a - b)[values.length >> 1]!
  const single: Record<
    string,
    {
      rounds: Array<{ rawInsert: Cell; append: Cell; ratio: number; cpuRatio: number | null }>
      ratio: number
      cpuRatio: number | null
    }
  > = {}
  for (const writers of [1, 8, 16]) {
    const rounds = []
    for (let round = 0; round < ROUNDS; round++) {
      // Every other pair runs append first, so a slow drift (the tables growing, a checkpoint's full-page
      // writes) does not always fall on the same side.
      const appendFirst = round % 2 === 1
      const first = appendFirst ? await append(writers, 1) : await rawInsert(writers)
      const second = appendFirst ? await rawInsert(writers) : await append(writers, 1)
      const [raw, appended] = appendFirst ? [second, first] : [first, second]
      const rawCpu = cpuPerOp(raw)
      const appendCpu = cpuPerOp(appended)
      rounds.push({
        rawInsert: raw,
        append: appended,
        ratio: Number((appended.eventsPerSecond / raw.eventsPerSecond).toFixed(3)),
        cpuRatio: rawCpu === null || appendCpu === null ? null : Number((rawCpu / appendCpu).toFixed(3)),
      })
    }
    const cpuRatios = rounds.flatMap((round) => (round.cpuRatio === null ? [] : [round.cpuRatio]))
    single[`writers${writers}`] = {
      rounds,
      ratio: median(rounds.map((round) => round.ratio)),
      cpuRatio: cpuRatios.length === rounds.length ? median(cpuRatios) : null,
    }
  }
  const batched = { events10: await append(8, 10), events100: await append(8, 100) }

  const { rows } = await pool.query<{ n: string }>('select count(*) as n from events')
  // 'envelope': what readAll itself costs (payloads decoded on access); 'decodeEvery': a reader that
  // also decodes every payload with the effect Schema, the worst case of a projection.
  const readAll = async (mode: 'envelope' | 'decodeEvery', limit: number) => {
    const reader = new EventStore({ pool, codec: schemaCodec })
    const started = performance.now()
    let checkpoint = START
    let events = 0
    for (;;) {
      const page = await reader.readAll(checkpoint, { limit })
      if (page.events.length === 0) break
      if (mode === 'decodeEvery') for (const recorded of page.events) void recorded.event
      events += page.events.length
      checkpoint = page.checkpoint
    }
    const seconds = (performance.now() - started) / 1000
    return { mode, batch: limit, events, eventsPerSecond: Math.round(events / seconds) }
  }

  const result = {
    benchmark: 'eventstore',
    postgres: (await pool.query<{ server_version: string }>('show server_version')).rows[0]!.server_version,
    node: process.version,
    secondsPerCell: SECONDS,
    single,
    batched,
    readAll: {
      logSize: Number(rows[0]!.n),
      envelope: await readAll('envelope', 5_000),
      decodeEvery: await readAll('decodeEvery', 5_000),
    },
    targets: {
      appendVsRawAt8: single.writers8!.ratio >= 0.8,
      appendVsRawAt16: single.writers16!.ratio >= 0.8,
      batched50k: batched.events100.eventsPerSecond >= 50_000,
    },
  }
  const readAllPasses = result.readAll.envelope.eventsPerSecond >= 200_000
  console.log(
    JSON.stringify({ ...result, targets: { ...result.targets, readAll200k: readAllPasses } }, null, 2),
  )
} finally {
  await monitor.end()
  await pool.end()
  await database.drop()
}
