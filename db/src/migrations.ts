import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

/** The folder that holds the numbered plain-SQL migrations. */
export const migrationsFolder = fileURLToPath(new URL('../migrations/', import.meta.url))

/** Taken for the whole run so two processes starting at once cannot both migrate. */
const MIGRATION_LOCK_KEY = 7_340_211_001

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/

export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
  readonly checksum: string
}

export interface MigrationReport {
  readonly applied: ReadonlyArray<string>
  readonly current: number
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError'
}

/** Reads and checks the migration files: numbered 0001, 0002, … without gaps or duplicates. */
export async function loadMigrations(folder: string = migrationsFolder): Promise<ReadonlyArray<Migration>> {
  const files = (await readdir(folder)).filter((file) => file.endsWith('.sql')).sort()
  const migrations: Migration[] = []
  for (const file of files) {
    const match = FILE_NAME.exec(file)
    if (match === null) {
      throw new MigrationError(
        `Migration file ${file} is misnamed: name it NNNN_snake_case_name.sql, e.g. 0002_projections.sql.`,
      )
    }
    const version = Number(match[1])
    const expected = migrations.length + 1
    if (version !== expected) {
      throw new MigrationError(
        `Migration ${file} has number ${version} where ${expected} was expected: migrations are numbered without gaps or duplicates; renumber the newest file.`,
      )
    }
    const sql = await readFile(`${folder}/${file}`, 'utf8')
    migrations.push({ version, name: file, sql, checksum: createHash('sha256').update(sql).digest('hex') })
  }
  return migrations
}

/** A short fingerprint of the whole migration set, used to name migrated template databases. */
export function migrationsFingerprint(migrations: ReadonlyArray<Migration>): string {
  const hash = createHash('sha256')
  for (const migration of migrations) hash.update(migration.checksum)
  return hash.digest('hex').slice(0, 12)
}

/**
 * Brings the database at `connectionString` up to date. Idempotent; runs under an advisory lock;
 * refuses a database whose applied migrations differ from the files (edited or reordered migrations).
 */
export async function migrate(connectionString: string, folder?: string): Promise<MigrationReport> {
  const migrations = await loadMigrations(folder)
  const client = new pg.Client({ connectionString })
  await client.connect()
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
    try {
      await client.query(`create table if not exists interlock_migrations (
        version integer primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`)
      const { rows } = await client.query<{ version: number; name: string; checksum: string }>(
        'select version, name, checksum from interlock_migrations order by version',
      )
      for (const row of rows) {
        const file = migrations[row.version - 1]
        if (file === undefined) {
          throw new MigrationError(
            `The database has migration ${row.name} (version ${row.version}) that is not in ${folder ?? migrationsFolder}: this code is older than the database; deploy the newer code.`,
          )
        }
        if (file.checksum !== row.checksum) {
          throw new MigrationError(
            `Migration ${file.name} was changed after it was applied (checksum differs): migrations are frozen; restore the file and put the change in a new numbered migration.`,
          )
        }
      }
      const applied: string[] = []
      for (const migration of migrations.slice(rows.length)) {
        await client.query('begin')
        try {
          await client.query(migration.sql)
          await client.query(
            'insert into interlock_migrations (version, name, checksum) values ($1, $2, $3)',
            [migration.version, migration.name, migration.checksum],
          )
          await client.query('commit')
        } catch (error) {
          await client.query('rollback')
          throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`, {
            cause: error,
          })
        }
        applied.push(migration.name)
      }
      return { applied, current: migrations.length }
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
    }
  } finally {
    await client.end()
  }
}

/** The latest migration version applied to a database, or 0 when none is. */
export async function appliedMigrationVersion(client: pg.ClientBase): Promise<number> {
  const exists = await client.query<{ present: boolean }>(
    "select to_regclass('interlock_migrations') is not null as present",
  )
  if (exists.rows[0]?.present !== true) return 0
  const { rows } = await client.query<{ version: number | null }>(
    'select max(version) as version from interlock_migrations',
  )
  return rows[0]?.version ?? 0
}
