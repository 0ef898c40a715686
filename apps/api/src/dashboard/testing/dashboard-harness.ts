import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { serve } from '@hono/node-server'
import { createTestDatabase, loadMigrations, type TestDatabase } from '@interlock/db'
import { type Processor, processorConfig, startProcessor } from '@interlock/processor'
import { allProjections } from '@interlock/projections'
import { pino } from 'pino'
import { createApp } from '../../app.ts'
import { createToken } from '../../auth/api-token.ts'
import type { Scope } from '../../auth/scope.ts'
import { apiDeps } from '../../compose.ts'
import { DEFAULT_API_CONFIG } from '../../config.ts'

/** A processor (simulated clock, projections running) with the API and dashboard served over real HTTP. */
export interface DashboardHarness {
  readonly database: TestDatabase
  readonly processor: Processor
  readonly url: string
  /** Every JSON log line the API wrote so far. */
  readonly logText: () => string
  readonly token: (...scopes: ReadonlyArray<Scope>) => Promise<string>
  /** A call of the JSON API with a bearer token; `body` as JSON, or text with `contentType`. */
  readonly api: (
    method: string,
    path: string,
    token: string,
    body?: unknown,
    contentType?: string,
  ) => Promise<{ readonly status: number; readonly body: unknown }>
  /** Moves the simulated clock by `milliseconds`, firing due timers and letting projections catch up. */
  readonly advance: (milliseconds: number) => Promise<void>
  readonly close: () => Promise<void>
}

/** The dashboard on a database of its own; `env` adds processor settings (alert sinks, …). */
export async function startDashboardHarness(
  start: number,
  env: Readonly<Record<string, string>> = {},
): Promise<DashboardHarness> {
  const database = await createTestDatabase()
  const processor = await startProcessor(
    processorConfig(database.url, {
      INTERLOCK_CLOCK: 'simulated',
      INTERLOCK_CLOCK_START: new Date(start).toISOString(),
      ...env,
    }),
    { projections: allProjections },
  )
  const lines: Array<string> = []
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    },
  })
  const deps = apiDeps({
    pool: processor.pool,
    commands: processor.bus,
    redriveDeadLetter: processor.redriveDeadLetter,
    config: { ...DEFAULT_API_CONFIG, tokenCacheMs: 0 },
    logger: pino({ level: 'info' }, sink),
    expectedMigrations: (await loadMigrations()).length,
    clock: { now: () => processor.clock.now(), advanceTo: processor.advanceTo },
  })
  const server = serve({ fetch: createApp(deps).fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise<void>((resolve) => server.once('listening', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    database,
    processor,
    url,
    logText: () => lines.join(''),
    token: async (...scopes) => (await createToken(processor.pool, { name: 'dashboard-test', scopes })).token,
    api: async (method, path, token, body, contentType = 'application/json') => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': contentType }),
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      })
      const text = await response.text()
      return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text }
    },
    advance: async (milliseconds) => {
      await processor.advanceTo(processor.clock.now() + milliseconds)
      await processor.settle()
    },
    close: async () => {
      // The browser tests' pages may still hold a live stream open: end it rather than wait for it.
      ;(server as Server).closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await processor.stop()
      await database.drop()
    },
  }
}
