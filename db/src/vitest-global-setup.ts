import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type PostgresServer, resolvePostgres } from './resolve-postgres.ts'

let started: PostgresServer | undefined

/**
 * Vitest global setup for packages with integration tests: when no DATABASE_URL is set and no local
 * server answers, start one Postgres (Testcontainers or embedded) for the whole run and hand it to the
 * test workers through DATABASE_URL.
 */
export async function setup(): Promise<void> {
  const found = await resolvePostgres({
    embeddedDataDir: join(tmpdir(), `interlock-test-pg-${process.pid}`),
    embeddedPersistent: false,
    log: (message) => console.info(message),
  })
  if (found.source === 'embedded' || found.source === 'testcontainers') {
    started = found
    process.env.DATABASE_URL = found.urlFor()
  }
}

export async function teardown(): Promise<void> {
  await started?.stop()
}
