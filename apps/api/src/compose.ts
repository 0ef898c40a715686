import type { CommandBus } from '@interlock/processor'
import type pg from 'pg'
import type { Logger } from 'pino'
import type { ApiDeps } from './app.ts'
import { databaseAuthenticator } from './auth/token-authenticator.ts'
import type { ApiConfig } from './config.ts'
import { databaseProbes } from './health/health-probes.ts'
import { databaseIdempotentAnswers } from './idempotency/idempotent-answers.ts'
import { MetricsRegistry } from './metrics/metrics-registry.ts'
import type { ClockControl } from './routes/clock.ts'

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
  return {
    config: host.config,
    logger: host.logger,
    metrics,
    authenticator: databaseAuthenticator(host.pool, { cacheMs: host.config.tokenCacheMs }),
    probes,
    idempotency: databaseIdempotentAnswers(host.pool),
    commands: host.commands,
    readModels: host.pool,
    events: host.commands.store,
    decisionClock: () => host.commands.clock.now(),
    ...(host.clock === undefined ? {} : { clock: host.clock }),
  }
}
