import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { serve } from '@hono/node-server'
import { createTestDatabase, loadMigrations, type TestDatabase } from '@interlock/db'
import { InterlockEvent } from '@interlock/domain'
import { EventStore, makeEventCodec } from '@interlock/eventstore'
import { CommandBus, SimulatedClock } from '@interlock/processor'
import pg from 'pg'
import { pino } from 'pino'
import { type ApiDeps, createApp } from '../app.ts'
import { createToken } from '../auth/api-token.ts'
import type { Scope } from '../auth/scope.ts'
import { apiDeps } from '../compose.ts'
import { type ApiConfig, DEFAULT_API_CONFIG } from '../config.ts'

/** The instant the harness's simulated clock starts at: sensors without a date land on 2026-03-04. */
export const HARNESS_NOW = Date.parse('2026-03-04T10:00:00Z')

export interface ApiHarness {
  readonly database: TestDatabase
  readonly pool: pg.Pool
  readonly bus: CommandBus
  readonly clock: SimulatedClock
  readonly deps: ApiDeps
  readonly url: string
  /** Every JSON log line written so far. */
  readonly logLines: () => ReadonlyArray<Record<string, unknown>>
  /** A fresh token holding `scopes`. */
  readonly token: (...scopes: ReadonlyArray<Scope>) => Promise<string>
  readonly eventCount: () => Promise<number>
  /** A request over real HTTP; `json` is sent as JSON, `text` as given with `contentType`. */
  readonly request: (
    method: string,
    path: string,
    options?: {
      readonly token?: string
      readonly json?: unknown
      readonly text?: string
      readonly contentType?: string
      readonly headers?: Readonly<Record<string, string>>
    },
  ) => Promise<{
    readonly status: number
    readonly headers: Headers
    readonly body: unknown
    readonly text: string
  }>
  readonly close: () => Promise<void>
}

/**
 * The API on a database of its own, served on a random local port, with a command bus on a simulated
 * clock (no timers: the processor's tests cover them). Not exported from the package.
 */
export async function startApiHarness(overrides: Partial<ApiConfig> = {}): Promise<ApiHarness> {
  const database = await createTestDatabase()
  const pool = new pg.Pool({ connectionString: database.url, max: 20 })
  const clock = new SimulatedClock(HARNESS_NOW)
  const bus = new CommandBus({
    store: new EventStore({ pool, codec: makeEventCodec(InterlockEvent) }),
    clock,
  })
  const lines: string[] = []
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter((line) => line !== ''),
      )
      done()
    },
  })
  const logger = pino({ level: 'info' }, sink)
  const deps = apiDeps({
    pool,
    commands: bus,
    config: { ...DEFAULT_API_CONFIG, tokenCacheMs: 0, ...overrides },
    logger,
    expectedMigrations: (await loadMigrations()).length,
  })
  const app = createApp(deps)
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise<void>((resolve) => server.once('listening', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    database,
    pool,
    bus,
    clock,
    deps,
    url,
    logLines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    token: async (...scopes) => (await createToken(pool, { name: 'test', scopes })).token,
    eventCount: async () =>
      Number((await pool.query<{ n: string }>('select count(*) as n from events')).rows[0]!.n),
    request: async (method, path, options = {}) => {
      const headers: Record<string, string> = { ...options.headers }
      if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`
      let body: string | undefined
      if (options.json !== undefined) {
        body = JSON.stringify(options.json)
        headers['content-type'] ??= 'application/json'
      } else if (options.text !== undefined) {
        body = options.text
        if (options.contentType !== undefined) headers['content-type'] = options.contentType
      }
      const response = await fetch(`${url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      })
      const text = await response.text()
      const type = response.headers.get('content-type') ?? ''
      return {
        status: response.status,
        headers: response.headers,
        text,
        body: type.includes('json') ? JSON.parse(text) : text,
      }
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await bus.store.close()
      await pool.end()
      await database.drop()
    },
  }
}
