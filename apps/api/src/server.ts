import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { loadMigrations } from '@interlock/db'
import type { Processor } from '@interlock/processor'
import { pino } from 'pino'
import { createApp } from './app.ts'
import { apiDeps } from './compose.ts'
import type { ApiConfig } from './config.ts'

/** A listening API: its URL, and how to stop it (in-flight requests finish first). */
export interface ApiServer {
  readonly url: string
  readonly close: () => Promise<void>
}

/**
 * Serves the API on the processor's database pool and command bus, so a command sent over HTTP goes
 * through the same handler, timers and clock as the processor's own (the CLI's `serve` calls this).
 * Under a simulated clock the clock routes drive the processor's `advanceTo`.
 */
export async function startApi(processor: Processor, config: ApiConfig): Promise<ApiServer> {
  const logger = pino(
    {
      level: config.logLevel,
      base: { service: 'interlock-api' },
      // Belt and braces: nothing logs headers, but a token must never reach a log line if one ever does.
      redact: ['req.headers.authorization', 'headers.authorization', 'authorization', 'token'],
    },
    // Lines go out 4 KiB at a time, and at least every 250 ms, instead of one blocking write per request;
    // pino flushes what is left when the process exits.
    pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 }),
  )
  const deps = apiDeps({
    pool: processor.pool,
    commands: processor.bus,
    redriveDeadLetter: processor.redriveDeadLetter,
    circuits: processor.circuits,
    config,
    logger,
    expectedMigrations: (await loadMigrations()).length,
    ...(processor.clock.mode === 'simulated'
      ? { clock: { now: () => processor.clock.now(), advanceTo: processor.advanceTo } }
      : {}),
  })
  const server = serve({ fetch: createApp(deps).fetch, hostname: config.host, port: config.port })
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const { port } = server.address() as AddressInfo
  logger.info({ host: config.host, port }, 'API listening')
  return {
    url: `http://${config.host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  }
}
