import { appliedMigrationVersion } from '@interlock/db'
import type pg from 'pg'
import { selectOne, selectProjectionLag } from '../sql.ts'

/** What /api/ready and /metrics ask about the database. */
export interface HealthProbes {
  /** Resolves when the database answers a query. */
  ping(): Promise<void>
  /** The migration version applied to the database and the one this code was built with. */
  migrations(): Promise<{ readonly applied: number; readonly expected: number }>
  /** How far each projection is behind the log, in milliseconds. */
  projectionLag(): Promise<ReadonlyArray<{ readonly name: string; readonly lagMs: number }>>
}

/** Probes of the database behind `pool`; `expectedMigrations` is the number of migration files shipped. */
export function databaseProbes(pool: pg.Pool, expectedMigrations: number): HealthProbes {
  return {
    async ping() {
      await selectOne(pool)
    },
    async migrations() {
      const client = await pool.connect()
      try {
        return { applied: await appliedMigrationVersion(client), expected: expectedMigrations }
      } finally {
        client.release()
      }
    },
    async projectionLag() {
      const { rows } = await selectProjectionLag(pool)
      return rows.map((row) => ({
        name: row.name.replace(/^projection:/, ''),
        lagMs: Math.round(row.lag_ms),
      }))
    },
  }
}
