import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, OPERATIONS } from '../app.ts'
import { DASHBOARD_PATHS } from '../dashboard/dashboard-routes.ts'
import { type ApiHarness, startApiHarness } from '../testing/api-harness.ts'

let api: ApiHarness

beforeAll(async () => {
  api = await startApiHarness()
})
afterAll(async () => api.close())

describe('the OpenAPI operations', () => {
  it('document exactly the routes the app serves, the dashboard pages aside', () => {
    const served = createApp(api.deps)
      .routes.filter(
        (route) =>
          route.method !== 'ALL' && !route.path.endsWith('*') && !DASHBOARD_PATHS.includes(route.path),
      )
      .map((route) => `${route.method} ${route.path}`)
    const documented = OPERATIONS.map(
      (operation) => `${operation.method.toUpperCase()} ${operation.path.replace(/\{(\w+)\}/g, ':$1')}`,
    )
    expect([...new Set(served)].sort()).toEqual([...documented].sort())
  })
})
