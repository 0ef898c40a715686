import { createTestDatabase, type TestDatabase } from '@interlock/db'
import { InterlockEvent } from '@interlock/domain'
import { EventStore, makeEventCodec } from '@interlock/eventstore'
import { Either } from 'effect'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SimulatedClock } from './clock.ts'
import { CommandBus } from './command-bus.ts'

// Readings of `rows-landed` only: each is recorded, none opens an evaluation.
const config = (id: string, minimum: number) => `
pipeline: { id: ${id} }
schedule:
  timezone: UTC
  trigger: { key: orders-landed, check: equals, field: status, value: COMPLETE }
validation:
  trigger: ALL
  rules: [{ key: rows-landed, check: gte, field: count, value: ${minimum} }]
job:
  type: command
  config: { command: "echo done" }
`

let database: TestDatabase
const pools: pg.Pool[] = []
const clock = new SimulatedClock(Date.parse('2026-01-05T06:00:00Z'))

/** A command bus on its own pool, as a second processor would have: it holds its own pipelines and runs. */
function openBus(): CommandBus {
  const pool = new pg.Pool({ connectionString: database.url, max: 10 })
  pools.push(pool)
  return new CommandBus({ store: new EventStore({ pool, codec: makeEventCodec(InterlockEvent) }), clock })
}

let bus: CommandBus
let other: CommandBus
beforeAll(async () => {
  database = await createTestDatabase()
  bus = openBus()
  other = openBus()
})
afterAll(async () => {
  await bus.store.close()
  await other.store.close()
  for (const pool of pools) await pool.end()
  await database.drop()
})

const rows = async (sql: string, values: unknown[]) => (await pools[0]!.query(sql, values)).rows

describe('SensorWriter', () => {
  it('coalesces readings posted at once into few transactions, each event keeping its own sender', async () => {
    await bus.registerPipeline(config('coalesce', 1), { actor: 'test' })
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, n) =>
        bus.recordSensor(
          {
            pipelineId: 'coalesce',
            key: 'rows-landed',
            data: { count: n, date: `2026-01-${String((n % 20) + 1).padStart(2, '0')}` },
          },
          { actor: `token:${n % 3}`, correlationId: `request-${n}` },
        ),
      ),
    )
    expect(results.every(Either.isRight)).toBe(true)
    const written = await rows(
      `select data->'data'->>'count' as count, metadata->>'correlationId' as correlation, metadata->>'actor' as actor,
              transaction_id::text as tx
       from events where metadata->'tags'->>'pipelineId' = $1 and type = 'SensorReadingRecorded'`,
      ['coalesce'],
    )
    expect(written).toHaveLength(40)
    for (const row of written) {
      expect(row.correlation).toBe(`request-${row.count}`)
      expect(row.actor).toBe(`token:${Number(row.count) % 3}`)
    }
    // At most two writes are in flight at once; the other readings wait and go together.
    expect(new Set(written.map((row) => row.tx)).size).toBeLessThan(40)
  })

  it('writes a batch over many run streams in one transaction', async () => {
    await bus.registerPipeline(config('spread', 1), { actor: 'test' })
    const days = Array.from({ length: 60 }, (_, n) =>
      new Date(Date.UTC(2025, 0, 1 + n)).toISOString().slice(0, 10),
    )
    const results = await bus.recordSensors(
      days.map((date, n) => ({ pipelineId: 'spread', key: 'rows-landed', data: { count: n, date } })),
      { actor: 'test' },
    )
    expect(results.every(Either.isRight)).toBe(true)
    const written = await rows(
      `select count(distinct stream_id)::int as streams, count(distinct transaction_id::text)::int as txs
       from events where stream_id like 'run-%' and metadata->'tags'->>'pipelineId' = $1`,
      ['spread'],
    )
    expect(written[0]).toEqual({ streams: 60, txs: 1 })
  })

  it('stores a reading sent twice in one batch with its id once, and answers the repeat as a duplicate', async () => {
    await bus.registerPipeline(config('repeat', 1), { actor: 'test' })
    const reading = (count: number, id?: string) => ({
      pipelineId: 'repeat',
      key: 'rows-landed',
      data: { count, date: '2026-01-04' },
      ...(id === undefined ? {} : { id }),
    })
    const results = await bus.recordSensors([reading(1, 'r-1'), reading(2), reading(1, 'r-1'), reading(3)], {
      actor: 'test',
    })
    const outcomes = results.map((result) => {
      if (Either.isLeft(result)) throw result.left
      const outcome = result.right.runs[0]!.outcome
      return outcome._tag === 'Accepted' ? (outcome.append?.duplicate ?? false) : outcome._tag
    })
    expect(outcomes).toEqual([false, false, true, false])
    const written = await rows(
      `select (data->'data'->>'count')::int as count, command_id from events
       where metadata->'tags'->>'pipelineId' = $1 and type = 'SensorReadingRecorded' order by stream_version`,
      ['repeat'],
    )
    // The reading with an id is recorded for idempotency; those without are not.
    expect(written.map((row) => [row.count, row.command_id === null])).toEqual([
      [1, false],
      [2, true],
      [3, true],
    ])
  })

  it('decides on the new config when another process changed the pipeline since it was held', async () => {
    await bus.registerPipeline(config('moving', 10), { actor: 'test' })
    const before = await bus.recordSensor(
      { pipelineId: 'moving', key: 'rows-landed', data: { count: 5, date: '2026-01-05' } },
      { actor: 'test' },
    )
    expect(Either.isRight(before)).toBe(true)
    // Another processor registers version 2, then pauses the pipeline: this bus still holds version 1.
    await other.registerPipeline(config('moving', 20), { actor: 'test' })
    await other.pipelineCommand('moving', { _tag: 'PausePipeline' }, { actor: 'test' })
    const after = await bus.recordSensor(
      { pipelineId: 'moving', key: 'rows-landed', data: { count: 6, date: '2026-01-05' } },
      { actor: 'test' },
    )
    expect(Either.isRight(after)).toBe(true)
    const versions = await rows(
      `select (metadata->>'configVersion')::int as version from events
       where stream_id = 'run-moving-default-2026-01-05' order by stream_version`,
      [],
    )
    expect(versions.map((row) => row.version)).toEqual([1, 2])
  })

  it('writes the runs of a batch that no earlier batch holds at once, and the others after it', async () => {
    await bus.registerPipeline(config('overlap', 1), { actor: 'test' })
    const reading = (count: number, day: number) => ({
      pipelineId: 'overlap',
      key: 'rows-landed',
      data: { count, date: `2026-02-0${day}` },
    })
    // Days 1–3, then days 3–5 at once: day 3 is shared, days 4 and 5 are not.
    const [first, second] = await Promise.all([
      bus.recordSensors([reading(1, 1), reading(2, 2), reading(3, 3)], { actor: 'test' }),
      bus.recordSensors([reading(4, 3), reading(5, 4), reading(6, 5)], { actor: 'test' }),
    ])
    expect([...first, ...second].every(Either.isRight)).toBe(true)
    const written = await rows(
      `select right(stream_id, 10) as day, (data->'data'->>'count')::int as count, stream_version::int as version,
              transaction_id::text as tx
       from events where metadata->'tags'->>'pipelineId' = $1 and type = 'SensorReadingRecorded'
       order by stream_id, stream_version`,
      ['overlap'],
    )
    expect(written.map(({ day, count, version }) => [day, count, version])).toEqual([
      ['2026-02-01', 1, 1],
      ['2026-02-02', 2, 1],
      ['2026-02-03', 3, 1],
      ['2026-02-03', 4, 2],
      ['2026-02-04', 5, 1],
      ['2026-02-05', 6, 1],
    ])
    const txOf = (day: string, count: number) =>
      written.find((row) => row.day === day && row.count === count)?.tx
    // The second batch's shared day waited for the first batch; its own days did not wait with it.
    expect(txOf('2026-02-04', 5)).toBe(txOf('2026-02-05', 6))
    expect(txOf('2026-02-03', 4)).not.toBe(txOf('2026-02-04', 5))
    expect(txOf('2026-02-03', 4)).not.toBe(txOf('2026-02-03', 3))
  })

  it('decides again on the stream as written when a run it took for new was begun by another process', async () => {
    await bus.registerPipeline(config('begun', 1), { actor: 'test' })
    // The other process opens the run; this bus has never seen it, so it first decides as if it were new.
    for (const count of [1, 2]) {
      const recorded = await other.recordSensor(
        { pipelineId: 'begun', key: 'rows-landed', data: { count, date: '2026-01-06' } },
        { actor: 'test' },
      )
      expect(Either.isRight(recorded)).toBe(true)
    }
    const mine = await bus.recordSensor(
      { pipelineId: 'begun', key: 'rows-landed', data: { count: 3, date: '2026-01-06' } },
      { actor: 'test' },
    )
    expect(Either.getOrThrow(mine).runs[0]).toMatchObject({ outcome: { _tag: 'Accepted', streamVersion: 3 } })
    const written = await rows(
      `select stream_version::int as version, (data->'data'->>'count')::int as count from events
       where stream_id = 'run-begun-default-2026-01-06' and type = 'SensorReadingRecorded' order by stream_version`,
      [],
    )
    expect(written).toEqual([
      { version: 1, count: 1 },
      { version: 2, count: 2 },
      { version: 3, count: 3 },
    ])
  })

  it('records every reading exactly once when two processes write the same runs turn by turn', async () => {
    await bus.registerPipeline(config('shared', 1), { actor: 'test' })
    for (let n = 0; n < 12; n++) {
      const via = n % 2 === 0 ? bus : other
      const recorded = await via.recordSensor(
        { pipelineId: 'shared', key: 'rows-landed', data: { count: n, date: '2026-01-05' } },
        { actor: 'test' },
      )
      expect(Either.isRight(recorded)).toBe(true)
    }
    const batch = await other.recordSensors(
      [12, 13].map((count) => ({
        pipelineId: 'shared',
        key: 'rows-landed',
        data: { count, date: '2026-01-05' },
      })),
      { actor: 'test' },
    )
    expect(batch.every(Either.isRight)).toBe(true)
    const written = await rows(
      `select stream_version::int as version, (data->'data'->>'count')::int as count from events
       where stream_id = 'run-shared-default-2026-01-05' and type = 'SensorReadingRecorded' order by stream_version`,
      [],
    )
    expect(written.map((row) => row.count)).toEqual(Array.from({ length: 14 }, (_, n) => n))
  })
})
