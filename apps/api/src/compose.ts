import { instantOf } from '@interlock/domain'
import { AlertRedriveRefused, type CommandBus, redriveAlert } from '@interlock/processor'
import { type DeadLetter, getDeadLetter } from '@interlock/projections'
import type pg from 'pg'
import type { Logger } from 'pino'
import type { ApiDeps } from './app.ts'
import { databaseAuthenticator } from './auth/token-authenticator.ts'
import type { ApiConfig } from './config.ts'
import { databaseProbes } from './health/health-probes.ts'
import { RedriveRefused } from './http/http-errors.ts'
import { databaseIdempotentAnswers } from './idempotency/idempotent-answers.ts'
import { MetricsRegistry } from './metrics/metrics-registry.ts'
import type { ClockControl } from './routes/clock.ts'
import type { CircuitReader } from './routes/health.ts'
import { selectJobCounts, selectLogHead } from './sql.ts'

/** What the API needs from whoever hosts it (the CLI's `serve`, the standalone server, tests). */
export interface ApiHost {
  readonly pool: pg.Pool
  readonly commands: CommandBus
  readonly config: ApiConfig
  readonly logger: Logger
  /** The processor's simulated clock, when it runs with one. */
  readonly clock?: ClockControl
  /** Migration files shipped with this code: /api/ready compares the database with it. */
  readonly expectedMigrations: number
  /** The processor's redrive of dead letters of every kind; without it only alert deliveries redrive. */
  readonly redriveDeadLetter?: (deadLetter: DeadLetter) => Promise<void>
  /** The processor's per-host circuit breakers of outbound HTTP. */
  readonly circuits?: CircuitReader
}

/** Wires the API's services on one database pool. */
export function apiDeps(host: ApiHost): ApiDeps {
  const metrics = new MetricsRegistry()
  const probes = databaseProbes(host.pool, host.expectedMigrations)
  metrics.gauge(
    'interlock_projection_lag_milliseconds',
    'Age of the oldest event a projection has not applied.',
    async () =>
      (await probes.projectionLag()).map((lag) => ({ labels: { projection: lag.name }, value: lag.lagMs })),
  )
  metrics.gauge('interlock_events_appended', 'Position of the newest event in the log.', async () => {
    const head = (await selectLogHead(host.pool)).rows[0]?.head
    return [{ labels: {}, value: Number(head ?? 0) }]
  })
  const jobs = () => selectJobCounts(host.pool, host.commands.clock.now())
  metrics.gauge('interlock_jobs', 'pg-boss jobs by queue and state.', async () =>
    (await jobs()).byState.map((row) => ({
      labels: { queue: row.queue, state: row.state },
      value: row.count,
    })),
  )
  metrics.gauge(
    'interlock_timers_due',
    'Timers whose instant has passed and that have not fired yet.',
    async () => [{ labels: {}, value: (await jobs()).timersDue }],
  )
  const circuits = host.circuits ?? (() => [])
  metrics.gauge(
    'interlock_circuit_breaker_state',
    'Outbound circuit breaker of each host with failures on record: 1 for its current state (closed, open, half-open).',
    async () =>
      circuits().flatMap((circuit) =>
        (['closed', 'open', 'half-open'] as const).map((state) => ({
          labels: { host: circuit.host, state },
          value: circuit.state === state ? 1 : 0,
        })),
      ),
  )
  metrics.gauge(
    'interlock_circuit_breaker_consecutive_failures',
    'Consecutive failed calls to each outbound host with failures on record.',
    async () =>
      circuits().map((circuit) => ({ labels: { host: circuit.host }, value: circuit.consecutiveFailures })),
  )
  return {
    config: host.config,
    circuits,
    logger: host.logger,
    metrics,
    authenticator: databaseAuthenticator(host.pool, { cacheMs: host.config.tokenCacheMs }),
    probes,
    idempotency: databaseIdempotentAnswers(host.pool),
    commands: host.commands,
    readModels: host.pool,
    events: host.commands.store,
    decisionClock: () => host.commands.clock.now(),
    deadLetters: {
      get: (id) => getDeadLetter(host.pool, id),
      // The processor redrives every kind it dead-letters (alerts, reactions); an API without one, alerts only.
      redrive: async (letter) => {
        try {
          if (host.redriveDeadLetter !== undefined) await host.redriveDeadLetter(letter)
          else await redriveAlert(host.pool, letter, instantOf(host.commands.clock.now()))
        } catch (error) {
          if (error instanceof AlertRedriveRefused) {
            throw new RedriveRefused({ id: letter.id.toString(), reason: error.message })
          }
          throw error
        }
      },
    },
    ...(host.clock === undefined ? {} : { clock: host.clock }),
  }
}
