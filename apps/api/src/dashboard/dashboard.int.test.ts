import { instantOf } from '@interlock/domain'
import { recordDeadLetter } from '@interlock/projections'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ORDERS_DAILY } from '../testing/fixtures.ts'
import { type DashboardHarness, startDashboardHarness } from './testing/dashboard-harness.ts'

// The dashboard over real HTTP, as a browser without JavaScript sees it: sign-in and its cookie, CSRF on
// every form, each page rendered from the projections of a real processor, the live feed, and no token
// ever in a log line or a URL.

const T0 = Date.parse('2026-01-05T06:00:00Z')
const MINUTE = 60_000
let h: DashboardHarness
let admin: string
let reader: string

beforeAll(async () => {
  h = await startDashboardHarness(T0)
  admin = await h.token('admin')
  reader = await h.token('read')
  expect(
    (await h.api('PUT', '/api/pipelines/orders-daily', admin, ORDERS_DAILY, 'application/yaml')).status,
  ).toBe(201)
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

/** The session cookie `token` would get, as a Cookie header. */
const cookieOf = (token: string) => `interlock_session=${token}`

async function get(path: string, token?: string) {
  const response = await fetch(`${h.url}${path}`, {
    redirect: 'manual',
    headers: token === undefined ? {} : { cookie: cookieOf(token) },
  })
  return { status: response.status, headers: response.headers, text: await response.text() }
}

async function post(path: string, form: Record<string, string>, cookie?: string) {
  const response = await fetch(`${h.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(cookie === undefined ? {} : { cookie }),
    },
    body: new URLSearchParams(form).toString(),
  })
  return { status: response.status, headers: response.headers, text: await response.text() }
}

/** The CSRF token a page's forms carry. */
const csrfIn = (page: string) => /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? ''

describe('signing in', () => {
  it('answers a page without a session with 401 and the sign-in form', async () => {
    const page = await get('/')
    expect(page.status).toBe(401)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(page.text).toContain('Sign in with an API token to see the dashboard.')
    expect(page.text).toContain('<form method="post" action="/sign-in">')
    expect(page.headers.get('cache-control')).toBe('no-store')
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
  })

  it('stores the token in an HttpOnly, SameSite=Strict cookie and redirects to the page asked for', async () => {
    const form = await get('/sign-in?next=/events')
    const csrfCookie = /interlock_sign_in=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')?.[1] ?? ''
    expect(csrfIn(form.text)).toBe(csrfCookie)
    const signedIn = await post(
      '/sign-in',
      { csrf: csrfCookie, token: reader, next: '/events' },
      `interlock_sign_in=${csrfCookie}`,
    )
    expect(signedIn.status).toBe(303)
    expect(signedIn.headers.get('location')).toBe('/events')
    const session = signedIn.headers.getSetCookie().find((cookie) => cookie.startsWith('interlock_session='))
    expect(session).toBe(`interlock_session=${reader}; Max-Age=43200; Path=/; HttpOnly; SameSite=Strict`)
  })

  it('refuses a sign-in form without its CSRF value, an unknown token, and a path to another site', async () => {
    const noCsrf = await post('/sign-in', { token: reader })
    expect(noCsrf.status).toBe(403)
    expect(noCsrf.text).toContain('The sign-in form expired or came from another site (csrf)')
    expect(noCsrf.headers.get('set-cookie') ?? '').not.toContain('interlock_session')

    const unknown = await post(
      '/sign-in',
      { csrf: 'a'.repeat(43), token: 'ilk_not-a-token' },
      `interlock_sign_in=${'a'.repeat(43)}`,
    )
    expect(unknown.status).toBe(401)
    expect(unknown.text).toContain('token: that token is not known here')
    expect(unknown.text).not.toContain('ilk_not-a-token')

    const huge = await post('/sign-in', { token: 'x'.repeat(20_000) })
    expect(huge.status).toBe(413)

    const away = await post(
      '/sign-in',
      { csrf: 'b'.repeat(43), token: reader, next: '//evil.example/' },
      `interlock_sign_in=${'b'.repeat(43)}`,
    )
    expect(away.headers.get('location')).toBe('/')
  })

  it('refuses a session cookie whose token is revoked, and clears it', async () => {
    const page = await get('/', 'ilk_revoked-or-never-issued')
    expect(page.status).toBe(401)
    expect(page.text).toContain('Your token is no longer known; sign in with another one.')
    expect(page.headers.getSetCookie().some((cookie) => cookie.startsWith('interlock_session=;'))).toBe(true)
  })

  it('signs out only with the session CSRF token', async () => {
    const board = await get('/', reader)
    const refused = await post('/sign-out', { csrf: 'forged' }, cookieOf(reader))
    expect(refused.status).toBe(403)
    expect(refused.text).toContain('The form did not carry this session’s CSRF token (csrf)')
    const out = await post('/sign-out', { csrf: csrfIn(board.text) }, cookieOf(reader))
    expect(out.status).toBe(303)
    expect(out.headers.get('location')).toBe('/sign-in')
    expect(out.headers.getSetCookie().some((cookie) => cookie.startsWith('interlock_session=;'))).toBe(true)
  })
})

describe('the pages', () => {
  it('shows the board with the evaluating pipeline and the rule that blocks it', async () => {
    const page = await get('/', reader)
    expect(page.status).toBe(200)
    expect(page.text).toContain('data-pipeline="orders-daily" data-state="evaluating"')
    expect(page.text).toContain('owner: data-platform')
    expect(page.text).toContain('blocked: 1 of 2 rules pass')
    expect(page.text).toMatch(/orders-count\.count gte 1000<\/span>: [^<]*10/)
  })

  it('filters the board by owner and state, and names a state it does not know', async () => {
    expect((await get('/?owner=nobody', reader)).text).toContain('No pipeline matches.')
    expect((await get('/?state=succeeded', reader)).text).toContain('No pipeline matches.')
    expect((await get('/?state=evaluating', reader)).text).toContain('data-pipeline="orders-daily"')
    const bad = await get('/?state=sleeping', reader)
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('state: &quot;sleeping&quot; is not a state; use one of failed, evaluating')
    const page = await get('/?page=0', reader)
    expect(page.status).toBe(400)
    expect(page.text).toContain('page: &quot;0&quot; is not a page number; pages count from 1.')
  })

  it('shows a pipeline: timeline, latest sensors with their age, the config YAML and recent events', async () => {
    const page = await get('/pipelines/orders-daily', reader)
    expect(page.status).toBe(200)
    expect(page.text).toContain('class="cell cell-evaluating"')
    expect(page.text).toContain('<code>orders-count</code>')
    expect(page.text).toContain('10m 00s ago')
    expect(page.text).toContain('version 1 · registered 2026-01-05 06:00:00Z')
    expect(page.text).toMatch(/<pre class="yaml">[^<]*id: orders-daily/)
    expect(page.text).toContain('No public event yet.')
    expect((await get('/pipelines/nowhere', reader)).status).toBe(404)
  })

  it('shows a run with each rule verdict of every evaluation, and names a bad period', async () => {
    const page = await get('/pipelines/orders-daily/runs/2026-01-05', reader)
    expect(page.status).toBe(200)
    expect(page.text).toContain('data-testid="run-status">evaluating</span>')
    expect(page.text).toContain('<li class="rule-failed">✘ orders-count.count gte 1000 (actual 10)')
    expect(page.text).toContain('<li class="rule-passed">✔ orders-landed.status equals &quot;COMPLETE&quot;')
    const bad = await get('/pipelines/orders-daily/runs/2026-13-01', reader)
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('period: &quot;2026-13-01&quot; is not an execution period')
  })

  it('filters the events by pipeline, type and severity, and names each bad filter', async () => {
    // The evaluation window (1 h) runs out without the row count passing.
    await h.advance(2 * 60 * MINUTE)
    const { text } = await get('/events?pipeline=orders-daily&type=JOB_TRIGGERED', reader)
    expect(text).toContain('No event matches.')
    const exhausted = await get(
      '/events?pipeline=orders-daily&severity=critical&since=2026-01-05T00:00Z',
      reader,
    )
    expect(exhausted.text).toContain('<code>VALIDATION_EXHAUSTED</code>')
    expect((await get('/events?severity=info', reader)).text).toContain('No event matches.')
    expect((await get('/events?until=2026-01-05T06:00Z', reader)).text).toContain('No event matches.')
    const bad = await get('/events?severity=loud&since=yesterday&pipeline=a%20b', reader)
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('severity: &quot;loud&quot; is not a severity')
    expect(bad.text).toContain('since: &quot;yesterday&quot; is not a timestamp')
    expect(bad.text).toContain('pipeline: ')
    const forged = await get('/events?before=2026-01-05T06:00:00.000Z_12', reader)
    expect(forged.status).toBe(400)
    expect(forged.text).toContain('before: not a position this page gave')
  })

  it('lists the rerun requests of a run with their outcome and budget', async () => {
    // The period ran out of its window in the test above: a manual rerun is accepted as attempt 2.
    const rerun = await h.api('POST', '/api/pipelines/orders-daily/reruns', admin, {
      period: '2026-01-05',
      reason: 'late upstream',
    })
    expect(rerun.status).toBe(202)
    await h.advance(MINUTE)
    const page = await get('/pipelines/orders-daily/runs/2026-01-05', reader)
    expect(page.text).toContain('<td>late upstream</td>')
    expect(page.text).toContain('<span class="badge state-succeeded">accepted</span>')
    expect(page.text).toContain('<code>orders-daily/default/2026-01-05/2</code>')
  })

  it('escapes what it shows: a description cannot become markup', async () => {
    const config = ORDERS_DAILY.replace('id: orders-daily', 'id: escaped-daily').replace(
      'owner: data-platform',
      'owner: data-platform\n  description: "<script>alert(1)</script>"',
    )
    expect(
      (await h.api('PUT', '/api/pipelines/escaped-daily', admin, config, 'application/yaml')).status,
    ).toBe(201)
    await h.advance(1_000)
    const page = await get('/', reader)
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(page.text).not.toContain('<script>alert(1)')
  })
})

describe('dead letters', () => {
  it('lists them; redrive needs an admin token and the session CSRF token, and a refusal says why', async () => {
    const letter = await recordDeadLetter(h.processor.pool, {
      kind: 'job-start',
      key: 'orders-daily/default/2026-01-05/1',
      payload: { attemptId: 'orders-daily/default/2026-01-05/1' },
      error: 'connection refused',
      attempts: 3,
      failedAt: instantOf(T0),
    })
    const listed = await get('/dead-letters', reader)
    expect(listed.text).toContain(`data-dead-letter="${letter.id}"`)
    expect(listed.text).toContain('disabled title="needs an admin token"')
    const asReader = await post(
      `/dead-letters/${letter.id}/redrive`,
      { csrf: csrfIn(listed.text) },
      cookieOf(reader),
    )
    expect(asReader.status).toBe(403)
    expect(asReader.text).toContain('This needs a token with the admin scope')

    const page = await get('/dead-letters', admin)
    const forged = await post(
      `/dead-letters/${letter.id}/redrive`,
      { csrf: csrfIn(listed.text) },
      cookieOf(admin),
    )
    expect(forged.status).toBe(403)
    const refused = await post(
      `/dead-letters/${letter.id}/redrive`,
      { csrf: csrfIn(page.text) },
      cookieOf(admin),
    )
    expect(refused.status).toBe(409)
    expect(refused.text).toContain(`dead letter ${letter.id} is of kind job-start, which has no redrive`)
  })
})

describe('the live feed', () => {
  it('streams an advance event when the projections move, to a signed-in browser only', async () => {
    expect((await get('/live')).status).toBe(401)
    const controller = new AbortController()
    const response = await fetch(`${h.url}/live`, {
      headers: { cookie: cookieOf(reader) },
      signal: controller.signal,
    })
    expect(response.headers.get('content-type')).toContain('text/event-stream')
    const reader$ = response.body!.getReader()
    const decoder = new TextDecoder()
    let received = ''
    const until = async (pattern: RegExp) => {
      while (!pattern.test(received)) {
        const chunk = await reader$.read()
        if (chunk.done) break
        received += decoder.decode(chunk.value)
      }
    }
    await until(/event: ready/)
    // Let the shared poller read the head once before anything moves.
    await new Promise((resolve) => setTimeout(resolve, 700))
    await h.api('POST', '/api/pipelines/orders-daily/sensors/orders-count', admin, {
      count: 20,
      date: '2026-01-05',
    })
    await h.processor.settle()
    await until(/event: advance/)
    controller.abort()
    expect(received).toMatch(/event: advance\ndata: \d+:/)
  })
})

describe('tokens', () => {
  it('never appear in a log line', () => {
    const logs = h.logText()
    expect(logs).toContain('dashboard signed in')
    expect(logs).not.toContain(reader)
    expect(logs).not.toContain(admin)
  })
})
