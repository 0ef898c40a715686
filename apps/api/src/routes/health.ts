import { Schema } from 'effect'
import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { HealthProbes } from '../health/health-probes.ts'
import { documented, type Operation } from '../openapi/operation.ts'

export const HealthAnswer = Schema.Struct({ status: Schema.Literal('ok') }).annotations({
  identifier: 'Health',
})

/** One outbound host's circuit breaker (job triggers, evaluators, alert sinks share them). */
export const CircuitBreakerState = Schema.Struct({
  host: Schema.String,
  state: Schema.Literal('closed', 'open', 'half-open'),
  consecutiveFailures: Schema.Int,
  /** While open: when the next probe is let through. */
  probeAt: Schema.NullOr(Schema.String),
}).annotations({ identifier: 'CircuitBreakerState' })

/** The breakers as the processor keeps them: `probeAt` in epoch milliseconds. */
export type CircuitReader = () => ReadonlyArray<{
  readonly host: string
  readonly state: 'closed' | 'open' | 'half-open'
  readonly consecutiveFailures: number
  readonly probeAt: number | undefined
}>

export const ReadyAnswer = Schema.Struct({
  status: Schema.Literal('ready', 'not-ready'),
  database: Schema.Struct({ reachable: Schema.Boolean }),
  migrations: Schema.Struct({ applied: Schema.Int, expected: Schema.Int, current: Schema.Boolean }),
  projections: Schema.Array(
    Schema.Struct({ name: Schema.String, lagMs: Schema.Number, behind: Schema.Boolean }),
  ),
  /**
   * Outbound hosts with failures on record. Shown, not judged: an open breaker means a target is down,
   * not that this instance cannot serve, so it never makes the answer 503.
   */
  circuitBreakers: Schema.Array(CircuitBreakerState),
}).annotations({ identifier: 'Readiness' })
type ReadyAnswer = typeof ReadyAnswer.Type

/** A database that does not answer within this is as good as down for readiness. */
const PROBE_TIMEOUT_MS = 2_000

export const healthOperations: ReadonlyArray<Operation> = [
  {
    method: 'get',
    path: '/api/health',
    tag: 'operations',
    summary: 'Liveness: the process answers HTTP.',
    responses: { 200: { description: 'alive', schema: documented(HealthAnswer) } },
  },
  {
    method: 'get',
    path: '/api/ready',
    tag: 'operations',
    summary:
      'Readiness: database reachable, migrations current, projections close to the log; outbound circuit breakers shown.',
    responses: {
      200: { description: 'ready', schema: documented(ReadyAnswer) },
      503: { description: 'not ready, with the failing check', schema: documented(ReadyAnswer) },
    },
  },
]

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('probe timed out')), PROBE_TIMEOUT_MS).unref(),
    ),
  ])
}

/** Liveness and readiness. Public: a load balancer asks without a token. */
export function healthRoutes(deps: {
  readonly probes: HealthProbes
  readonly readyMaxLagMs: number
  readonly circuits: CircuitReader
}) {
  return new Hono<AppEnv>()
    .get('/api/health', (c) => c.json({ status: 'ok' } satisfies typeof HealthAnswer.Type))
    .get('/api/ready', async (c) => {
      const notReady: ReadyAnswer = {
        status: 'not-ready',
        database: { reachable: false },
        migrations: { applied: 0, expected: 0, current: false },
        projections: [],
        circuitBreakers: circuitBreakers(deps.circuits),
      }
      let migrations: { readonly applied: number; readonly expected: number }
      let lags: ReadonlyArray<{ readonly name: string; readonly lagMs: number }>
      try {
        await withTimeout(deps.probes.ping())
        ;[migrations, lags] = await Promise.all([
          withTimeout(deps.probes.migrations()),
          withTimeout(deps.probes.projectionLag()),
        ])
      } catch (error) {
        // A database that answers nothing, or not the readiness queries, is not ready: 503, never 500.
        c.var.log.warn({ err: error }, 'readiness: database unreachable')
        return c.json(notReady, 503)
      }
      const projections = lags.map((lag) => ({ ...lag, behind: lag.lagMs > deps.readyMaxLagMs }))
      const current = migrations.applied === migrations.expected
      const ready = current && projections.every((projection) => !projection.behind)
      const answer: ReadyAnswer = {
        status: ready ? 'ready' : 'not-ready',
        database: { reachable: true },
        migrations: { ...migrations, current },
        projections,
        circuitBreakers: circuitBreakers(deps.circuits),
      }
      return c.json(answer, ready ? 200 : 503)
    })
}

function circuitBreakers(read: CircuitReader): ReadyAnswer['circuitBreakers'] {
  return read().map((circuit) => ({
    host: circuit.host,
    state: circuit.state,
    consecutiveFailures: circuit.consecutiveFailures,
    probeAt: circuit.probeAt === undefined ? null : new Date(circuit.probeAt).toISOString(),
  }))
}
