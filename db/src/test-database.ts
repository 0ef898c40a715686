import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { loadMigrations, migrate, migrationsFingerprint } from './migrations.ts'
import { type PostgresServer, resolvePostgres } from './resolve-postgres.ts'

/** A fresh, migrated database of its own for one test file, so files run in parallel unseen by each other. */
export interface TestDatabase {
  readonly name: string
  readonly url: string
  readonly drop: () => Promise<void>
}

/** Serialises template building across processes (test files start in parallel workers). */
const TEMPLATE_LOCK_KEY = 7_340_211_002
const STALE_AFTER_SECONDS = 3_600
const GRACEFUL_CLOSE_POLLS = 40
const GRACEFUL_CLOSE_POLL_MS = 25

let serverPromise: Promise<PostgresServer> | undefined

function server(): Promise<PostgresServer> {
  serverPromise ??= resolvePostgres()
  return serverPromise
}

/**
 * Creates a database from a migrated template (built once per migration set, then copied, which takes
 * milliseconds), and returns its URL and a function that drops it.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const found = await server()
  const admin = new pg.Client({ connectionString: found.urlFor() })
  await admin.connect()
  try {
    const template = await ensureTemplate(admin, found)
    const name = `it_${Math.floor(Date.now() / 1000)}_${randomBytes(5).toString('hex')}`
    await createFromTemplate(admin, name, template)
    return {
      name,
      url: found.urlFor(name),
      drop: async () => {
        const client = new pg.Client({ connectionString: found.urlFor() })
        await client.connect()
        try {
          // Let connections that are closing finish on their own: forcing them surfaces as an unhandled
          // 57P01 error in whatever pool owned them.
          for (let wait = 0; wait < GRACEFUL_CLOSE_POLLS; wait++) {
            const { rows } = await client.query<{ n: number }>(
              'select count(*)::int as n from pg_stat_activity where datname = $1',
              [name],
            )
            if (rows[0]?.n === 0) break
            await new Promise((done) => setTimeout(done, GRACEFUL_CLOSE_POLL_MS))
          }
          await client.query(`drop database if exists ${quoteIdentifier(name)} with (force)`)
        } finally {
          await client.end()
        }
      },
    }
  } finally {
    await admin.end()
  }
}

async function ensureTemplate(admin: pg.Client, found: PostgresServer): Promise<string> {
  const template = `interlock_tpl_${migrationsFingerprint(await loadMigrations())}`
  await admin.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY])
  try {
    if (await databaseExists(admin, template)) return template
    const building = `${template}_building`
    await admin.query(`drop database if exists ${quoteIdentifier(building)} with (force)`)
    await admin.query(`create database ${quoteIdentifier(building)}`)
    await migrate(found.urlFor(building))
    await admin.query(`alter database ${quoteIdentifier(building)} rename to ${quoteIdentifier(template)}`)
    await dropStaleTestDatabases(admin)
    return template
  } finally {
    await admin.query('select pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY])
  }
}

async function createFromTemplate(admin: pg.Client, name: string, template: string): Promise<void> {
  // Copying needs the template to have no sessions; a concurrent copy can briefly hold it.
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`create database ${quoteIdentifier(name)} template ${quoteIdentifier(template)}`)
      return
    } catch (error) {
      const busy = (error as { code?: string }).code === '55006'
      if (!busy || attempt === 20) throw error
      await new Promise((done) => setTimeout(done, 50 * attempt))
    }
  }
}

/** Test databases left behind by crashed runs, recognised by the creation time in their name. */
async function dropStaleTestDatabases(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    "select datname from pg_database where datname ~ '^it_[0-9]+_[0-9a-f]+$'",
  )
  const cutoff = Date.now() / 1000 - STALE_AFTER_SECONDS
  for (const { datname } of rows) {
    if (Number(datname.split('_')[1]) < cutoff) {
      await admin.query(`drop database if exists ${quoteIdentifier(datname)} with (force)`)
    }
  }
}

async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name])
  return rowCount === 1
}

/** Database names cannot be parameters; every name here is generated, and quoted all the same. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
