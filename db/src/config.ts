/** Where Postgres is looked for, read from the environment in this one place. */
export interface PostgresEnvironment {
  /** A full connection string; when set, nothing else is tried. */
  readonly databaseUrl: string | undefined
  /** host:port of a local server with trust auth for user postgres (default 127.0.0.1:5432). */
  readonly localServer: { readonly host: string; readonly port: number }
  /** Set to "0" to never try Testcontainers, even when a Docker engine answers. */
  readonly testcontainers: boolean
}

const DEFAULT_LOCAL_SERVER = '127.0.0.1:5432'

export function postgresEnvironment(env: NodeJS.ProcessEnv = process.env): PostgresEnvironment {
  const local = env.INTERLOCK_LOCAL_POSTGRES ?? DEFAULT_LOCAL_SERVER
  const separator = local.lastIndexOf(':')
  const port = Number(local.slice(separator + 1))
  if (separator <= 0 || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(
      `INTERLOCK_LOCAL_POSTGRES is "${local}": expected host:port, e.g. ${DEFAULT_LOCAL_SERVER}.`,
    )
  }
  const databaseUrl = env.DATABASE_URL?.trim()
  return {
    databaseUrl: databaseUrl === undefined || databaseUrl === '' ? undefined : databaseUrl,
    localServer: { host: local.slice(0, separator), port },
    testcontainers: env.INTERLOCK_TESTCONTAINERS !== '0',
  }
}
