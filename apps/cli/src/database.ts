import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { applicationDatabaseUrl, postgresEnvironment, resolvePostgres } from '@interlock/db'
import pg from 'pg'
import type { CliIo } from './io.ts'
import { embeddedDataDirOf, REPO_ROOT } from './paths.ts'

/** Where a running `serve` writes the URL of its database, for the commands that talk to it directly. */
export const servedDatabaseFile = (env: Readonly<Record<string, string | undefined>>): string =>
  env.INTERLOCK_DATABASE_URL_FILE ?? join(REPO_ROOT, '.interlock', 'database-url')

/**
 * A database for the commands that work on it directly (`migrate`, `token`): DATABASE_URL; else the one a
 * running `serve` uses (its embedded server cannot be opened twice); else the resolver's.
 */
export const openDatabase = async (
  io: CliIo,
): Promise<{ readonly url: string; readonly pool: pg.Pool; readonly close: () => Promise<void> }> => {
  const served = io.env.DATABASE_URL === undefined ? await reachableServedUrl(io.env) : undefined
  if (served !== undefined) {
    const pool = new pg.Pool({ connectionString: served, max: 2 })
    return { url: served, pool, close: () => pool.end() }
  }
  const server = await resolvePostgres({
    environment: postgresEnvironment(io.env),
    embeddedDataDir: embeddedDataDirOf(io.env),
    log: (message) => io.err(message),
  })
  try {
    const url = await applicationDatabaseUrl(server)
    const pool = new pg.Pool({ connectionString: url, max: 2 })
    return {
      url,
      pool,
      close: async () => {
        await pool.end()
        await server.stop()
      },
    }
  } catch (error) {
    await server.stop()
    throw error
  }
}

const reachableServedUrl = async (
  env: Readonly<Record<string, string | undefined>>,
): Promise<string | undefined> => {
  let url: string
  try {
    url = (await readFile(servedDatabaseFile(env), 'utf8')).trim()
  } catch {
    return undefined
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_500 })
  try {
    await client.connect()
    return url
  } catch {
    return undefined
  } finally {
    await client.end().catch(() => {})
  }
}
