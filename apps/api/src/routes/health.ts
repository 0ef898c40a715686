import { Schema } from 'effect'
import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { HealthProbes } from '../health/health-probes.ts'
import { documented, type Operation } from '../openapi/operation.ts'

export const HealthAnswer = Schema.Struct({ status: Schema.Literal('ok') }).annotations({
  identifier: 'Health',
})

export const ReadyAnswer = Schema.Struct({
  status: Schema.Literal('ready', 'not-ready'),
  database: Schema.Struct({ reachable: Schema.Boolean }),
  migrations: Schema.Struct({ applied: Schema.Int, expected: Schema.Int, current: Schema.Boolean }),
  projections: Schema.Array(
    Schema.Struct({ name: Schema.String, lagMs: Schema.Number, behind: Schema.Boolean }),
  ),
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
    summary: 'Readiness: database reachable, migrations current, projections close to the log.',
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
export function healthRoutes(deps: { readonly probes: HealthProbes; readonly readyMaxLagMs: number }) {
  return new Hono<AppEnv>()
    .get('/api/health', (c) => c.json({ status: 'ok' } satisfies typeof HealthAnswer.Type))
    .get('/api/ready', async (c) => {
      const notReady: ReadyAnswer = {
        status: 'not-ready',
        database: { reachable: false },
        migrations: { applied: 0, expected: 0, current: false },
        projections: [],
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
      }
      return c.json(answer, ready ? 200 : 503)
    })
}
