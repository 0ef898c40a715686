import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { allProjections } from './all-projections.ts'
import { combineProjections } from './combined-projection.ts'
import { createTestbed, type Testbed, tableRows } from './testing/event-history.ts'
import { playScenario } from './testing/scenario.ts'

/** Every projection table with its key, the order rows are compared in. */
const TABLES: ReadonlyArray<readonly [table: string, key: string]> = [
  ['pipelines', 'pipeline_id'],
  ['sensors_latest', 'pipeline_id, sensor_key'],
  ['runs', 'pipeline_id, schedule_id, period'],
  ['run_attempts', 'attempt_id'],
  ['reruns', 'id'],
  ['audit_events', 'id'],
]

let bed: Testbed

const snapshot = async (): Promise<Record<string, ReadonlyArray<unknown>>> => {
  const tables: Record<string, ReadonlyArray<unknown>> = {}
  for (const [table, key] of TABLES) tables[table] = await tableRows(bed.pool, table, key)
  return tables
}

beforeAll(async () => {
  bed = await createTestbed()
})
afterAll(async () => {
  await bed.close()
})

describe('projections rebuilt from position 0', () => {
  it('covers every table a projection writes', () => {
    expect(allProjections.flatMap((projection) => projection.tables).sort()).toEqual(
      TABLES.map(([table]) => table).sort(),
    )
  })

  it('equal the live ones, row for row, whatever the batch boundaries', async () => {
    // Live: the projections follow the history as it is written, three events per batch.
    bed.start({ batchSize: 3 })
    await playScenario(bed.history)
    await bed.caughtUp()
    const live = await snapshot()
    for (const [table] of TABLES) expect(live[table]?.length, `rows of ${table}`).toBeGreaterThan(0)

    // Rebuilt: emptied, then the whole log in batches of a thousand.
    await bed.stop()
    await bed.rebuild()
    for (const [table] of TABLES) {
      const { rows } = await bed.pool.query<{ n: number }>(`select count(*)::int as n from ${table}`)
      expect(rows[0]?.n, `rows of ${table} after the rebuild empties it`).toBe(0)
    }
    bed.start({ batchSize: 1_000 })
    await bed.caughtUp()
    expect(await snapshot()).toEqual(live)
  })

  it('equal the live ones when rebuilt while the projections keep running', async () => {
    const live = await snapshot()
    await bed.rebuild()
    await bed.caughtUp()
    expect(await snapshot()).toEqual(live)
    await bed.stop()
  })

  it('equal the live ones when rebuilt as one combined projection on a single subscription', async () => {
    const live = await snapshot()
    const combined = combineProjections('interlock', allProjections)
    await bed.rebuild([combined])
    bed.start({ batchSize: 4 }, [combined])
    await bed.caughtUp()
    expect(await snapshot()).toEqual(live)
    await bed.stop()
  })
})
