import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, OPERATIONS } from '../app.ts'
import { type ApiHarness, startApiHarness } from '../testing/api-harness.ts'

let api: ApiHarness

beforeAll(async () => {
  api = await startApiHarness()
})
afterAll(async () => api.close())

describe('the OpenAPI operations', () => {
  it('document exactly the routes the app serves', () => {
    const served = createApp(api.deps)
      .routes.filter((route) => route.method !== 'ALL' && !route.path.endsWith('*'))
      .map((route) => `${route.method} ${route.path}`)
    const documented = OPERATIONS.map(
      (operation) => `${operation.method.toUpperCase()} ${operation.path.replace(/\{(\w+)\}/g, ':$1')}`,
    )
    expect([...new Set(served)].sort()).toEqual([...documented].sort())
  })
})
