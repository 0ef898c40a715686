import { createTestDatabase, type TestDatabase } from '@interlock/db'
import { EventStore, type RawEvent, rawCodec } from '@interlock/eventstore'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Projection } from './projection.ts'
import { ProjectionRunner, rebuildProjection } from './projection-runner.ts'

// A small read model: the latest value and the number of readings per stream.
const latest: Projection<RawEvent> = {
  name: 'latest-readings',
  tables: ['latest_readings'],
  apply: async (events, tx) => {
    for (const recorded of events) {
      await tx.query(
        `insert into latest_readings (stream_id, value, readings, last_position) values ($1, $2, 1, $3)
         on conflict (stream_id) do update
           set value = excluded.value, readings = latest_readings.readings + 1, last_position = excluded.last_position`,
        [recorded.streamId, recorded.event.value, recorded.globalPosition.toString()],
      )
    }
  },
}

let database: TestDatabase
let pool: pg.Pool
let store: EventStore<RawEvent>

beforeAll(async () => {
  database = await createTestDatabase()
  pool = new pg.Pool({ connectionString: database.url, max: 10 })
  store = new EventStore({ pool, codec: rawCodec })
  await pool.query(
    'create table latest_readings (stream_id text primary key, value int not null, readings int not null, last_position bigint not null)',
  )
})
afterAll(async () => {
  await store.close()
  await pool.end()
  await database.drop()
})

const rows = async () => (await pool.query('select * from latest_readings order by stream_id')).rows

describe('projections', () => {
  it('rebuilt from position 0 equal the live ones, row for row', async () => {
    const runner = new ProjectionRunner(store, [latest])
    runner.start({ batchSize: 7 })
    for (let i = 0; i < 60; i++) {
      await store.append(`run-${i % 9}`, 'any', [{ _tag: 'SensorReadingRecorded', value: i }])
    }
    await runner.caughtUp()
    const live = await rows()
    expect(live).toHaveLength(9)
    expect(live.reduce((sum, row) => sum + row.readings, 0)).toBe(60)

    await rebuildProjection(store, latest)
    await runner.caughtUp()
    expect(await rows()).toEqual(live)
    await runner.stop()
  })

  it('apply every event exactly once when a batch fails midway and is retried', async () => {
    await pool.query('create table tally (position bigint primary key)')
    let crashes = 1
    const tally: Projection<RawEvent> = {
      name: 'tally',
      tables: ['tally'],
      apply: async (events, tx) => {
        for (const recorded of events) {
          await tx.query('insert into tally (position) values ($1)', [recorded.globalPosition.toString()])
        }
        if (crashes-- > 0) throw new Error('crash after writing the batch, before its checkpoint')
      },
    }
    const errors: string[] = []
    const runner = new ProjectionRunner(store, [tally])
    runner.start({ pollIntervalMs: 20, onError: (name) => errors.push(name) })
    await runner.caughtUp()
    await runner.stop()
    const counted = await pool.query<{ n: number }>('select count(*)::int as n from tally')
    const total = await pool.query<{ n: number }>('select count(*)::int as n from events')
    expect(errors).toEqual(['tally'])
    expect(counted.rows[0]!.n).toBe(total.rows[0]!.n)
  })
})
