import { migrate } from '@interlock/db'
import { openDatabase } from './database.ts'
import type { CliIo } from './io.ts'

/** `interlock migrate`: brings the database up to date (DATABASE_URL, a running serve's, or the resolver's). */
export const migrateCommand = async (io: CliIo, json: boolean): Promise<number> => {
  const database = await openDatabase(io)
  try {
    const report = await migrate(database.url)
    if (json) io.out(JSON.stringify(report))
    else
      io.out(
        report.applied.length === 0
          ? `Database is up to date (migration ${report.current}).`
          : `Applied ${report.applied.join(', ')}; database is at migration ${report.current}.`,
      )
    return 0
  } finally {
    await database.close()
  }
}
