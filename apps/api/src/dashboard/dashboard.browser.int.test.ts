import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ORDERS_DAILY } from '../testing/fixtures.ts'
import { type DashboardHarness, startDashboardHarness } from './testing/dashboard-harness.ts'

// The dashboard in a real browser: Debian's Chromium, headless, driven by playwright-core. A processor on
// a simulated clock runs the pipelines; sensors go in through the JSON API, as a data platform would send
// them, and the page must follow without a reload. Screenshots of every page land in .screenshots/.

const CHROMIUM = '/usr/bin/chromium'
/** The launch flags the issue names: no sandbox (CI runs as root), nothing that phones home. */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const REPOSITORY = new URL('../../../../', import.meta.url).pathname
const SCREENSHOTS = new URL('../../.screenshots/', import.meta.url).pathname

/** Chromium is there, or scripts/chromium.sh can install it (CI runs as root); otherwise the tests skip. */
function chromiumAvailable(): boolean {
  if (!existsSync(CHROMIUM))
    spawnSync('bash', [join(REPOSITORY, 'scripts/chromium.sh')], { stdio: 'inherit' })
  return existsSync(CHROMIUM)
}
const available = chromiumAvailable()
if (!available) {
  console.warn(
    `dashboard browser tests skipped: ${CHROMIUM} is missing and scripts/chromium.sh could not install it (it needs root and apt-get); install Debian's chromium package to run them.`,
  )
}

const CLICKS_DAILY = `
pipeline:
  id: clicks-daily
  owner: web-analytics
  description: Daily clickstream sessions
schedule:
  timezone: UTC
  trigger: { key: clicks-landed, check: equals, field: status, value: COMPLETE }
  evaluation: { window: 1h, interval: 1m }
validation:
  trigger: ALL
  rules:
    - { key: clicks-landed, check: equals, field: status, value: COMPLETE }
    - { key: clicks-count, check: gte, field: count, value: 1 }
sla: { maxDuration: 2h }
job:
  type: command
  config: { command: "true" }
`

/** The bits of the page's window the tests touch (this file is compiled without the DOM types). */
interface BrowserWindow {
  notReloaded?: boolean
  readonly document: { readonly cookie: string }
}

const T0 = Date.parse('2026-01-05T06:00:00Z')
const MINUTE = 60_000
const DAY = '2026-01-05'

/** A webhook endpoint for alerts that refuses (500) until told to accept. */
interface AlertReceiver {
  readonly url: string
  readonly received: Array<unknown>
  accepting: boolean
  readonly close: () => Promise<void>
}

async function startAlertReceiver(): Promise<AlertReceiver> {
  const receiver = { received: [] as Array<unknown>, accepting: false }
  const server: Server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => {
      body += chunk
    })
    request.on('end', () => {
      if (!receiver.accepting) {
        response.writeHead(500).end('receiver down')
        return
      }
      receiver.received.push(JSON.parse(body))
      response.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  })
}

/** Waits until `check` holds, polling (for state outside the page: the database, the receiver). */
async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe.skipIf(!available)('the dashboard in Chromium', () => {
  let h: DashboardHarness
  let receiver: AlertReceiver
  let browser: BrowserContext
  let page: Page
  let admin: string
  let profile: string

  const shoot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
  const push = (pipeline: string, key: string, data: Record<string, unknown>, date = DAY) =>
    h.api('POST', `/api/pipelines/${pipeline}/sensors/${key}`, admin, { ...data, date })
  const register = async (id: string, yaml: string) =>
    expect((await h.api('PUT', `/api/pipelines/${id}`, admin, yaml, 'application/yaml')).status).toBe(201)

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    receiver = await startAlertReceiver()
    h = await startDashboardHarness(T0, {
      INTERLOCK_ALLOW_PRIVATE_TARGETS: '127.0.0.1/32',
      INTERLOCK_ALERT_WEBHOOK_URL: receiver.url,
      INTERLOCK_ALERT_WEBHOOK_ROUTE: 'VALIDATION_EXHAUSTED',
      INTERLOCK_ALERT_MAX_ATTEMPTS: '1',
    })
    admin = await h.token('admin')
    profile = mkdtempSync(join(tmpdir(), 'interlock-chromium-'))
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1280, height: 860 },
    })
    page = browser.pages()[0] ?? (await browser.newPage())
  })
  afterAll(async () => {
    await browser?.close()
    await h?.close()
    await receiver?.close()
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true })
  })

  it('answers a page without a token with 401 and the sign-in form', async () => {
    const response = await page.goto(`${h.url}/`)
    expect(response?.status()).toBe(401)
    await expect(page.getByTestId('sign-in-message').textContent()).resolves.toBe(
      'Sign in with an API token to see the dashboard.',
    )
    await shoot('sign-in')
  })

  it('signs in with a token kept in an HttpOnly, SameSite=Strict cookie, never in the URL', async () => {
    await page.fill('#token', admin)
    await page.click('button:has-text("Sign in")')
    await page.waitForURL(`${h.url}/`)
    expect(page.url()).not.toContain(admin)
    const [session] = (await browser.cookies()).filter((cookie) => cookie.name === 'interlock_session')
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' })
    expect(await page.evaluate(() => (globalThis as unknown as BrowserWindow).document.cookie)).not.toContain(
      'ilk_',
    )
    await expect(page.locator('h1').textContent()).resolves.toBe('Pipelines')
  })

  it('turns a card from waiting to succeeded as sensors arrive through the API, without a reload', async () => {
    await page.evaluate(() => {
      ;(globalThis as unknown as BrowserWindow).notReloaded = true
    })
    await page.waitForSelector('#live-status:not([hidden])')
    await register('clicks-daily', CLICKS_DAILY)
    await register('orders-daily', ORDERS_DAILY)
    // Two more for a board with every kind of card: one paused, one in dry-run.
    await register(
      'billing-daily',
      ORDERS_DAILY.replace('orders-daily', 'billing-daily').replace('data-platform', 'finance'),
    )
    await h.api('POST', '/api/pipelines/billing-daily/pause', admin, {
      reason: 'vendor migration until Friday',
    })
    await register(
      'revenue-preview',
      `${ORDERS_DAILY.replace('orders-daily', 'revenue-preview')}dryRun: true\n`,
    )
    await h.processor.settle()
    const clicks = page.locator('[data-pipeline="clicks-daily"]')
    await clicks.waitFor()
    await expect(clicks.getAttribute('data-state')).resolves.toBe('waiting')

    await push('orders-daily', 'orders-count', { count: 10 })
    await push('orders-daily', 'orders-landed', { status: 'COMPLETE' })
    // Three earlier days arrive late (a backfill), so the timeline has a history to show.
    for (const date of ['2026-01-02', '2026-01-03', '2026-01-04']) {
      await push('clicks-daily', 'clicks-count', { count: 48_000 }, date)
      await push('clicks-daily', 'clicks-landed', { status: 'COMPLETE' }, date)
    }
    await push('clicks-daily', 'clicks-count', { count: 52_000 })
    await push('clicks-daily', 'clicks-landed', { status: 'COMPLETE' })
    for (let minute = 0; minute < 5; minute++) await h.advance(MINUTE)
    await page.waitForSelector('[data-pipeline="clicks-daily"][data-state="succeeded"]', { timeout: 15_000 })
    await page.waitForSelector('[data-pipeline="orders-daily"][data-state="evaluating"]')
    expect(await page.evaluate(() => (globalThis as unknown as BrowserWindow).notReloaded)).toBe(true)
    await expect(page.locator('[data-pipeline="orders-daily"] .readiness').textContent()).resolves.toContain(
      'orders-count.count gte 1000',
    )
    await expect(page.locator('[data-pipeline="clicks-daily"] .sla').textContent()).resolves.toBe('SLA met')
    await expect(page.locator('[data-pipeline="billing-daily"]').getAttribute('data-state')).resolves.toBe(
      'paused',
    )
    await expect(page.locator('[data-pipeline="revenue-preview"]').getAttribute('data-state')).resolves.toBe(
      'dry-run',
    )
    await shoot('board')
  })

  it('shows on the run page the rule that blocked the evaluation', async () => {
    await page.goto(`${h.url}/pipelines/orders-daily/runs/${DAY}`)
    const failed = page.locator('.trace .rule-failed').first()
    await expect(failed.textContent()).resolves.toBe(
      '✘ orders-count.count gte 1000 (actual 10) — 10 gte 1000 is false',
    )
    await shoot('run')
    await page.goto(`${h.url}/pipelines/clicks-daily`)
    await expect(page.locator('.cells .cell-succeeded').count()).resolves.toBe(4)
    await shoot('pipeline')
  })

  it('redrives a dead-lettered alert from the dead letters page', async () => {
    // orders-daily's window runs out: its VALIDATION_EXHAUSTED alert fails at the webhook and is dead-lettered.
    await h.advance(90 * MINUTE)
    await eventually(
      async () =>
        (await h.processor.pool.query("select 1 from dead_letters where kind = 'alert'")).rowCount === 1,
      'the alert to be dead-lettered',
    )
    await page.goto(`${h.url}/events`)
    await page.waitForSelector('code:has-text("VALIDATION_EXHAUSTED")')
    await shoot('events')
    await page.goto(`${h.url}/dead-letters`)
    await shoot('dead-letters')
    receiver.accepting = true
    await page.click('[data-dead-letter] button:has-text("Redrive")')
    await page.waitForSelector('.notice-done')
    await expect(page.locator('.notice-done').textContent()).resolves.toMatch(/^Dead letter \d+ was redriven/)
    await expect(page.locator('.empty').textContent()).resolves.toBe('No dead letter.')
    await eventually(() => receiver.received.length === 1, 'the redriven alert to reach the webhook')
    expect(receiver.received[0]).toMatchObject({ type: 'VALIDATION_EXHAUSTED', pipelineId: 'orders-daily' })
  })
})
