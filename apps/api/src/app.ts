import type { InterlockEvent } from '@interlock/domain'
import type { EventStore, Queryable } from '@interlock/eventstore'
import type { CommandBus } from '@interlock/processor'
import { Hono } from 'hono'
import { requestId } from 'hono/request-id'
import type { Logger } from 'pino'
import type { AppEnv } from './app-env.ts'
import type { Scope } from './auth/scope.ts'
import type { Authenticator } from './auth/token-authenticator.ts'
import type { ApiConfig } from './config.ts'
import { dashboardRoutes } from './dashboard/dashboard-routes.ts'
import type { HealthProbes } from './health/health-probes.ts'
import { PayloadTooLarge, RateLimited, RouteNotFound } from './http/http-errors.ts'
import { internalProblem, PROBLEM_CONTENT_TYPE, problemOf } from './http/problem-details.ts'
import type { IdempotentAnswers } from './idempotency/idempotent-answers.ts'
import type { MetricsRegistry } from './metrics/metrics-registry.ts'
import { bearerAuth } from './middleware/bearer-auth.ts'
import { limitBody } from './middleware/body-limit.ts'
import { RateLimiter } from './middleware/rate-limiter.ts'
import { requestLog } from './middleware/request-log.ts'
import type { Operation } from './openapi/operation.ts'
import { backtestOperations, backtestRoutes } from './routes/backtest.ts'
import { calendarOperations, calendarRoutes } from './routes/calendars.ts'
import { type ClockControl, clockOperations, clockRoutes } from './routes/clock.ts'
import { type DeadLetterRedrive, deadLetterOperations, deadLetterRoutes } from './routes/dead-letters.ts'
import { evaluationOperations, evaluationRoutes } from './routes/evaluation.ts'
import { eventOperations, eventRoutes } from './routes/events.ts'
import { type CircuitReader, healthOperations, healthRoutes } from './routes/health.ts'
import { metaOperations, metaRoutes } from './routes/meta.ts'
import { pipelineOperations, pipelineRoutes } from './routes/pipelines.ts'
import { rerunOperations, rerunRoutes } from './routes/reruns.ts'
import { runOperations, runRoutes } from './routes/runs.ts'
import { sensorOperations, sensorRoutes } from './routes/sensors.ts'
import { shadowOperations, shadowRoutes } from './routes/shadow.ts'

/** The narrow services the API is built from; tests give real ones on a test database. */
export interface ApiDeps {
  readonly config: ApiConfig
  readonly logger: Logger
  readonly metrics: MetricsRegistry
  readonly authenticator: Authenticator
  readonly probes: HealthProbes
  /** The processor's outbound circuit breakers; none when the API runs without a processor. */
  readonly circuits?: CircuitReader
  readonly idempotency: IdempotentAnswers
  readonly commands: Pick<
    CommandBus,
    | 'recordSensor'
    | 'recordSensors'
    | 'registerPipeline'
    | 'pipelineCommand'
    | 'pipeline'
    | 'runCommand'
    | 'evaluatorReadings'
    | 'registerCalendar'
    | 'calendarCommand'
    | 'calendar'
  >
  /** Where the projections' read tables are (the same database, or a replica). */
  readonly readModels: Queryable
  /** The log, for explain traces. */
  readonly events: Pick<EventStore<InterlockEvent>, 'readStream'>
  /** The processor's simulated clock; absent under the system clock (the clock routes answer 404). */
  readonly clock?: ClockControl
  /** Looks up and redrives dead letters (alerts, through the processor). */
  readonly deadLetters: DeadLetterRedrive
  /** The processor's clock (simulated or system): evaluations are judged at its now. */
  readonly decisionClock: () => number
  /** Wall-clock milliseconds for rate limiting (not the processor's clock, which may be simulated). */
  readonly now?: () => number
  readonly version?: string
}

/** Every documented route, in the order of the docs page. */
export const OPERATIONS: ReadonlyArray<Operation> = [
  ...pipelineOperations,
  ...calendarOperations,
  ...sensorOperations,
  ...evaluationOperations,
  ...runOperations,
  ...rerunOperations,
  ...backtestOperations,
  ...shadowOperations,
  ...eventOperations,
  ...deadLetterOperations,
  ...clockOperations,
  ...healthOperations,
  ...metaOperations,
]

/**
 * The API as a Hono app: request ids, logging and metrics, the body limit, routes, and the one place
 * errors become HTTP (STYLE rule 20). Serve it with @hono/node-server or call `app.request()`.
 */
export function createApp(deps: ApiDeps): Hono<AppEnv> {
  const limiter = new RateLimiter(deps.config.rateLimit)
  const guard = (scope: Scope) =>
    bearerAuth({
      authenticator: deps.authenticator,
      limiter,
      scope,
      ...(deps.now === undefined ? {} : { now: deps.now }),
    })
  const jsonMaxDepth = deps.config.jsonMaxDepth
  const limitBytes = deps.config.bodyLimitBytes

  const app = new Hono<AppEnv>()
  app.use(requestId())
  app.use(requestLog({ logger: deps.logger, metrics: deps.metrics }))
  app.use(
    '/api/*',
    limitBody(limitBytes, () => {
      throw new PayloadTooLarge({ limitBytes })
    }),
  )
  app.route(
    '/',
    healthRoutes({
      probes: deps.probes,
      readyMaxLagMs: deps.config.readyMaxLagMs,
      circuits: deps.circuits ?? (() => []),
    }),
  )
  app.route(
    '/',
    metaRoutes({ metrics: deps.metrics, operations: OPERATIONS, version: deps.version ?? '0.0.0' }),
  )
  const { commands, readModels } = deps
  app.route('/', pipelineRoutes({ commands, readModels, guard, jsonMaxDepth }))
  app.route('/', calendarRoutes({ commands, guard, jsonMaxDepth }))
  app.route(
    '/',
    sensorRoutes({
      commands,
      readModels,
      idempotency: deps.idempotency,
      metrics: deps.metrics,
      guard,
      jsonMaxDepth,
    }),
  )

  app.route(
    '/',
    evaluationRoutes({ commands, events: deps.events, decisionClock: deps.decisionClock, guard }),
  )
  app.route('/', runRoutes({ commands, events: deps.events, readModels, guard, jsonMaxDepth }))
  app.route('/', rerunRoutes({ commands, readModels, guard, jsonMaxDepth }))
  app.route('/', backtestRoutes({ ...deps, commands, guard, jsonMaxDepth }))
  app.route('/', shadowRoutes({ ...deps, commands, guard, jsonMaxDepth }))
  app.route('/', eventRoutes({ readModels, guard }))
  app.route('/', deadLetterRoutes({ readModels, redrive: deps.deadLetters, guard }))
  app.route('/', clockRoutes({ clock: deps.clock, guard, jsonMaxDepth }))
  // The dashboard's pages: signed in with a cookie, not a bearer header, and outside /api.
  app.route('/', dashboardRoutes(deps))

  app.notFound((c) => {
    throw new RouteNotFound({ method: c.req.method, path: c.req.path })
  })
  app.onError((error, c) => {
    const requestId = c.var.requestId
    const problem = problemOf(error, requestId)
    if (problem === undefined) {
      c.var.log.error({ err: error }, 'request failed unexpectedly')
      return c.body(JSON.stringify(internalProblem(requestId)), 500, { 'Content-Type': PROBLEM_CONTENT_TYPE })
    }
    c.var.log.info({ problem: problem.type, status: problem.status }, problem.detail)
    const headers: Record<string, string> = { 'Content-Type': PROBLEM_CONTENT_TYPE }
    if (problem.status === 401) headers['WWW-Authenticate'] = 'Bearer realm="interlock"'
    if (error instanceof RateLimited) headers['Retry-After'] = String(error.retryAfterSeconds)
    return c.body(JSON.stringify(problem), problem.status as 400, headers)
  })
  return app
}
