import { createTestDatabase, type TestDatabase } from '@interlock/db'
import pg from 'pg'
import type { EventCodec, TaggedEvent } from './codec.ts'
import { EventStore } from './event-store.ts'

export interface TestStore<E extends TaggedEvent> {
  readonly database: TestDatabase
  readonly pool: pg.Pool
  readonly store: EventStore<E>
  /** Another store on its own pool, as a second process would have. */
  readonly secondStore: () => EventStore<E>
  readonly close: () => Promise<void>
}

/** An event store on a fresh database of its own, for one test file. Not exported from the package. */
export async function createTestStore<E extends TaggedEvent>(codec: EventCodec<E>): Promise<TestStore<E>> {
  const database = await createTestDatabase()
  const pools: pg.Pool[] = []
  const stores: EventStore<E>[] = []
  const open = () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 20 })
    const store = new EventStore({ pool, codec })
    pools.push(pool)
    stores.push(store)
    return store
  }
  const store = open()
  return {
    database,
    pool: store.pool,
    store,
    secondStore: open,
    close: async () => {
      for (const each of stores) await each.close()
      for (const pool of pools) await pool.end()
      await database.drop()
    },
  }
}
