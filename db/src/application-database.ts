import pg from 'pg'
import type { PostgresServer } from './resolve-postgres.ts'
import { quoteIdentifier } from './test-database.ts'

/** The database Interlock keeps its log in when the server is one it found or started itself. */
export const APPLICATION_DATABASE = 'interlock'

/**
 * The connection string Interlock runs on: DATABASE_URL's database as given, otherwise the
 * `interlock` database on the resolved server, created when missing.
 */
export async function applicationDatabaseUrl(server: PostgresServer): Promise<string> {
  if (server.source === 'env') return server.urlFor()
  const admin = new pg.Client({ connectionString: server.urlFor() })
  await admin.connect()
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [
      APPLICATION_DATABASE,
    ])
    if (rowCount === 0) {
      await admin
        .query(`create database ${quoteIdentifier(APPLICATION_DATABASE)}`)
        .catch((error: unknown) => {
          // Two processes starting at once: the loser finds the database made by the winner.
          if ((error as { code?: string }).code !== '42P04') throw error
        })
    }
  } finally {
    await admin.end()
  }
  return server.urlFor(APPLICATION_DATABASE)
}
