import { performance } from 'node:perf_hooks'
import type { MiddlewareHandler } from 'hono'
import type { Logger } from 'pino'
import type { AppEnv } from '../app-env.ts'
import type { MetricsRegistry } from '../metrics/metrics-registry.ts'
import { requestScopedLog } from './request-scoped-log.ts'

/**
 * Gives each request a logger carrying its request id, then logs one line when it is answered
 * (method, route, status, milliseconds) and records it in the metrics. Headers and bodies are never
 * logged: they carry tokens and sensor data.
 */
export function requestLog(options: {
  readonly logger: Logger
  readonly metrics: MetricsRegistry
}): MiddlewareHandler<AppEnv> {
  return async function requestLog(c, next) {
    const started = performance.now()
    c.set('log', requestScopedLog(options.logger, { requestId: c.var.requestId }))
    await next()
    const seconds = (performance.now() - started) / 1000
    // Unmatched URLs share one series, so scanning for paths cannot grow the metrics without bound.
    const route = c.req.routePath === '/*' ? '(unmatched)' : c.req.routePath
    options.metrics.observeRequest(c.req.method, route, c.res.status, seconds)
    c.var.log.info(
      {
        method: c.req.method,
        path: c.req.path,
        route,
        status: c.res.status,
        ms: Math.round(seconds * 1e4) / 10,
      },
      'request answered',
    )
  }
}
