import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ORDERS_DAILY } from '../testing/fixtures.ts'
import { type DashboardHarness, startDashboardHarness } from './testing/dashboard-harness.ts'

// The dashboard's backtest page (issue #11) over real HTTP: the form carries the live config, a posted
// candidate shows the periods it would have decided otherwise, a bad one lists its problems, and the POST
// needs the session's CSRF value like every other form.

const T0 = Date.parse('2026-01-05T06:00:00Z')
const MINUTE = 60_000
let h: DashboardHarness
let reader: string

beforeAll(async () => {
  h = await startDashboardHarness(T0)
  const admin = await h.token('admin')
  reader = await h.token('read')
  await h.api('PUT', '/api/pipelines/orders-daily', admin, ORDERS_DAILY, 'application/yaml')
  await h.api('POST', '/api/pipelines/orders-daily/sensors/orders-count', admin, {
    count: 10,
    date: '2026-01-05',
  })
  await h.api('POST', '/api/pipelines/orders-daily/sensors/orders-landed', admin, {
    status: 'COMPLETE',
    date: '2026-01-05',
  })
  await h.advance(10 * MINUTE)
})
afterAll(async () => {
  await h.close()
})

const cookie = () => `interlock_session=${reader}`
const csrfIn = (page: string) => /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? ''

async function get(path: string) {
  const response = await fetch(`${h.url}${path}`, { redirect: 'manual', headers: { cookie: cookie() } })
  return { status: response.status, text: await response.text() }
}

async function post(path: string, form: Record<string, string>) {
  const response = await fetch(`${h.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
    body: new URLSearchParams(form).toString(),
  })
  return { status: response.status, text: await response.text() }
}

describe('the backtest page', () => {
  it('is linked from the pipeline page and offers the live config as the candidate', async () => {
    expect((await get('/pipelines/orders-daily')).text).toContain('href="/pipelines/orders-daily/backtest"')
    const form = await get('/pipelines/orders-daily/backtest')
    expect(form.status).toBe(200)
    expect(form.text).toContain('<textarea name="config"')
    expect(form.text).toContain('value: 1000')
  })

  it('shows the period a lower threshold would have triggered, and no difference for the live config', async () => {
    const form = await get('/pipelines/orders-daily/backtest')
    const live = /<textarea name="config"[^>]*>([\s\S]*?)<\/textarea>/.exec(form.text)?.[1] ?? ''
    const same = await post('/pipelines/orders-daily/backtest', {
      csrf: csrfIn(form.text),
      config: ORDERS_DAILY,
    })
    expect(same.status).toBe(200)
    expect(same.text).toContain('The candidate decides every period as the live config did.')
    expect(live).toContain('orders-daily')
    const lower = await post('/pipelines/orders-daily/backtest', {
      csrf: csrfIn(form.text),
      config: ORDERS_DAILY.replace('value: 1000', 'value: 5'),
      from: '2026-01-01',
    })
    expect(lower.status).toBe(200)
    expect(lower.text).toContain('<tr data-period="2026-01-05">')
    expect(lower.text).toContain('would-trigger')
    expect(lower.text).toContain('<strong>1 differ</strong>')
  })

  it('lists every problem of a bad candidate with 400, and refuses a post without the CSRF value', async () => {
    const form = await get('/pipelines/orders-daily/backtest')
    const bad = await post('/pipelines/orders-daily/backtest', {
      csrf: csrfIn(form.text),
      config: ORDERS_DAILY.replace('owner: data-platform', 'ownr: data-platform'),
    })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain(
      'config.pipeline.ownr: unknown key &quot;ownr&quot;; did you mean &quot;owner&quot;?',
    )
    expect((await post('/pipelines/orders-daily/backtest', { config: ORDERS_DAILY })).status).toBe(403)
  })
})
