import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { MetricsRegistry } from '../metrics/metrics-registry.ts'
import { docsPage } from '../openapi/docs-page.ts'
import { openApiDocument } from '../openapi/openapi-document.ts'
import type { Operation } from '../openapi/operation.ts'

export const metaOperations: ReadonlyArray<Operation> = [
  {
    method: 'get',
    path: '/metrics',
    tag: 'operations',
    summary: 'Prometheus metrics: requests, latencies, events appended, projection lag.',
    responses: { 200: { description: 'text/plain; version=0.0.4' } },
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    tag: 'operations',
    summary: 'This description, generated from the schemas the routes decode with.',
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
  },
  {
    method: 'get',
    path: '/api/docs',
    tag: 'operations',
    summary: 'A page listing every route and its scope.',
    responses: { 200: { description: 'text/html' } },
  },
]

/** Metrics, the OpenAPI document and the docs page; public like health. */
export function metaRoutes(deps: {
  readonly metrics: MetricsRegistry
  readonly operations: ReadonlyArray<Operation>
  readonly version: string
}) {
  const document = openApiDocument(deps.operations, deps.version)
  const page = docsPage(deps.operations)
  return new Hono<AppEnv>()
    .get('/metrics', async (c) => {
      c.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
      return c.body(await deps.metrics.render())
    })
    .get('/api/openapi.json', (c) => c.json(document))
    .get('/api/docs', (c) => c.html(page))
}
