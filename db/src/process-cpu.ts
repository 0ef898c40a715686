import { readFileSync } from 'node:fs'
import type pg from 'pg'

/** Linux reports process CPU in clock ticks of 1/100 s (USER_HZ). */
const CLOCK_TICKS_PER_SECOND = 100

/**
 * User + system CPU seconds used so far by processes on this machine (benchmarks measure the API process
 * and the Postgres backends serving them this way); null when one cannot be read, as for a remote server.
 */
export function processCpuSeconds(pids: ReadonlyArray<number>): number | null {
  let ticks = 0
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      ticks += Number(fields[11]) + Number(fields[12])
    } catch {
      return null
    }
  }
  return ticks / CLOCK_TICKS_PER_SECOND
}

/**
 * The server processes of the database's connections other than the one asking: ask on a connection of
 * its own to count every connection of the pool being measured.
 */
export async function backendPids(db: Pick<pg.ClientBase, 'query'>): Promise<number[]> {
  const { rows } = await db.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
  )
  return rows.map((row) => row.pid)
}
