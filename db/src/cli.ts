import { applicationDatabaseUrl } from './application-database.ts'
import { migrate } from './migrations.ts'
import { resolvePostgres } from './resolve-postgres.ts'

/** `npm run migrate`: brings the database that the resolver finds up to date. */
const server = await resolvePostgres({ log: (message) => console.error(message) })
try {
  const report = await migrate(await applicationDatabaseUrl(server))
  console.log(
    report.applied.length === 0
      ? `Database is up to date (migration ${report.current}).`
      : `Applied ${report.applied.join(', ')}; database is at migration ${report.current}.`,
  )
} finally {
  await server.stop()
}
