/**
 * The API as the benchmark measures it, in a process of its own so the load generator does not share
 * its event loop: `node bench/bench-server.ts <database-url>` prints {"port": n} once listening.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { loadMigrations } from '@interlock/db'
import { InterlockEvent } from '@interlock/domain'
import { EventStore, makeEventCodec } from '@interlock/eventstore'
import { CommandBus, systemClock } from '@interlock/processor'
import pg from 'pg'
import { pino } from 'pino'
import { createApp } from '../src/app.ts'
import { apiDeps } from '../src/compose.ts'
import { DEFAULT_API_CONFIG } from '../src/config.ts'

const databaseUrl = process.argv[2]
if (databaseUrl === undefined) throw new Error('usage: node bench/bench-server.ts <database-url>')

const pool = new pg.Pool({ connectionString: databaseUrl, max: 32 })
// An idle connection the server closes (a restart, another test dropping databases) is replaced, not fatal.
pool.on('error', () => {})
const store = new EventStore({ pool, codec: makeEventCodec(InterlockEvent) })
const deps = apiDeps({
  pool,
  commands: new CommandBus({ store, clock: systemClock }),
  // The limit is per token and the benchmark sends with one token: lift it to measure the server.
  config: { ...DEFAULT_API_CONFIG, rateLimit: { perSecond: 10_000_000, burst: 10_000_000 } },
  // Logged as in production (one JSON line per request, written asynchronously), where it costs no disk.
  logger: pino(
    { level: 'info' },
    pino.destination({ dest: '/dev/null', sync: false, minLength: 4096, periodicFlush: 250 }),
  ),
  expectedMigrations: (await loadMigrations()).length,
})
const server = serve({ fetch: createApp(deps).fetch, hostname: '127.0.0.1', port: 0 })
server.once('listening', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`)
})
process.on('SIGTERM', () => {
  server.close()
  void store.close().then(() => pool.end())
})
