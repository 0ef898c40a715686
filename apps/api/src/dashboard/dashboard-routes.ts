import { readFileSync } from 'node:fs'
import {
  DEFAULT_SCHEDULE,
  ExecutionPeriod,
  encodePipelineConfig,
  explainRun,
  type InterlockEvent,
  PipelineId,
  pipelineStreamId,
  type RunEvent,
  runStreamId,
  ScheduleName,
} from '@interlock/domain'
import type { EventStore, Queryable } from '@interlock/eventstore'
import { PipelineNotFound } from '@interlock/processor'
import {
  type AuditEventView,
  getPipeline,
  getRun,
  InvalidPageRequest,
  latestSensors,
  listAuditEvents,
  listDeadLetters,
  selectRunReruns,
} from '@interlock/projections'
import { Either, Schema } from 'effect'
import { type Context, Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Logger } from 'pino'
import { stringify } from 'yaml'
import type { Authenticator } from '../auth/token-authenticator.ts'
import { decodeInputEither } from '../http/decode-input.ts'
import { InvalidRequest, RedriveRefused } from '../http/http-errors.ts'
import { type BacktestDeps, BacktestRequest, backtestPipeline } from '../routes/backtest.ts'
import type { DeadLetterRedrive } from '../routes/dead-letters.ts'
import { boardCardOf, CARD_STATES, type CardState, worstFirst } from './board.ts'
import { selectBoard, selectOwners, selectTimeline } from './dashboard-sql.ts'
import { eventsFilterOf, UNKNOWN_BEFORE } from './events-filter.ts'
import { LiveFeed } from './live-feed.ts'
import { backtestPage } from './pages/backtest-page.ts'
import { boardPage } from './pages/board-page.ts'
import { deadLettersPage } from './pages/dead-letters-page.ts'
import { eventsPage } from './pages/events-page.ts'
import { ASSETS_PATH, type Html } from './pages/layout.ts'
import { type ConfigVersion, pipelinePage, TIMELINE_PERIODS } from './pages/pipeline-page.ts'
import { runPage } from './pages/run-page.ts'
import { messagePage } from './pages/sign-in-page.ts'
import { type DashboardEnv, dashboardSession } from './session.ts'
import { refusalPage, signInRoutes } from './sign-in-routes.ts'

/** The narrow services the dashboard reads: projections, the log (explain, config history), redrive. */
export interface DashboardDeps {
  readonly authenticator: Authenticator
  /** The pipeline and calendar lookups a backtest needs. */
  readonly commands: BacktestDeps['commands']
  readonly readModels: Queryable
  readonly events: Pick<EventStore<InterlockEvent>, 'readStream'>
  readonly deadLetters: DeadLetterRedrive
  /** The processor's clock: ages, countdowns and readiness are judged at its now. */
  readonly decisionClock: () => number
  readonly logger: Logger
}

/** Every path the dashboard serves (outside /api: they are pages, not documented operations). */
export const DASHBOARD_PATHS: ReadonlyArray<string> = [
  '/',
  '/sign-in',
  '/sign-out',
  '/pipelines/:id',
  '/pipelines/:id/runs/:period',
  '/pipelines/:id/backtest',
  '/events',
  '/dead-letters',
  '/dead-letters/:id/redrive',
  '/live',
  `${ASSETS_PATH}/:file`,
]

const ASSETS: Readonly<Record<string, { readonly body: string; readonly type: string }>> = {
  'dashboard.css': {
    body: readFileSync(new URL('./assets/dashboard.css', import.meta.url), 'utf8'),
    type: 'text/css; charset=utf-8',
  },
  'dashboard.js': {
    body: readFileSync(new URL('./assets/dashboard.js', import.meta.url), 'utf8'),
    type: 'text/javascript; charset=utf-8',
  },
}

/** Pages load only their own stylesheet and script, post only to themselves, and are never framed. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

const FORM_LIMIT_BYTES = 16 * 1024

/** Events per page of the feed, and of a pipeline's recent events. */
const FEED_PAGE = 100
const RECENT_EVENTS = 20
/** Runs read for the timeline: its periods for up to ten schedules. */
const TIMELINE_RUNS = TIMELINE_PERIODS * 10

const PipelineParams = Schema.Struct({ id: PipelineId })
const RunParams = Schema.Struct({ id: PipelineId, period: ExecutionPeriod })
const RunQuery = Schema.Struct({ schedule: Schema.optional(ScheduleName) })
const DeadLetterId = Schema.String.pipe(
  Schema.pattern(/^[1-9][0-9]{0,17}$/, { message: () => 'a dead letter id is a positive whole number' }),
)

const problemsOf = (problems: ReadonlyArray<{ readonly path: string; readonly message: string }>) =>
  problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')

/** The dashboard: server-rendered pages over the projections, sign-in, and the live feed. */
export function dashboardRoutes(deps: DashboardDeps) {
  const live = new LiveFeed({ db: deps.readModels, logger: deps.logger })

  const page = (c: Context, body: Html, status: 200 | 400 | 401 | 403 | 404 | 409 = 200) =>
    c.html(body, status)

  const signedIn = (scope: 'read' | 'admin') =>
    dashboardSession({ authenticator: deps.authenticator, scope, refuse: refusalPage })
  const notFound = (c: Context<DashboardEnv>, message: string) =>
    page(c, messagePage({ title: 'Not found', message, csrf: c.var.session.csrf }), 404)
  const badRequest = (c: Context<DashboardEnv>, message: string) =>
    page(c, messagePage({ title: 'Bad request', message, csrf: c.var.session.csrf }), 400)

  const app = new Hono<DashboardEnv>()
  // The forms hold a token, a CSRF value and a path: a larger body is not a form of this dashboard.
  const formLimit = bodyLimit({
    maxSize: FORM_LIMIT_BYTES,
    onError: (c) => c.text(`A dashboard form is at most ${FORM_LIMIT_BYTES} bytes.`, 413),
  })
  for (const path of ['/sign-in', '/sign-out', '/dead-letters/:id/redrive']) app.use(path, formLimit)
  // Mounted at the root, this runs for every request: the API's own pass by at no cost.
  app.use(async function dashboardHeaders(c, next) {
    if (c.req.path.startsWith('/api/')) return next()
    await next()
    if (c.res.headers.get('content-type')?.startsWith('text/html')) {
      c.res.headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY)
      c.res.headers.set('Cache-Control', 'no-store')
      c.res.headers.set('X-Content-Type-Options', 'nosniff')
      c.res.headers.set('Referrer-Policy', 'same-origin')
    }
  })

  app.get(`${ASSETS_PATH}/:file`, (c) => {
    const asset = ASSETS[c.req.param('file')]
    if (asset === undefined) return c.text('no such asset', 404)
    return c.body(asset.body, 200, {
      'Content-Type': asset.type,
      'Cache-Control': 'public, max-age=300',
      'X-Content-Type-Options': 'nosniff',
    })
  })

  app.route('/', signInRoutes({ authenticator: deps.authenticator, signedIn }))

  app.get('/live', signedIn('read'), (c) => live.stream(c))

  app.get('/', signedIn('read'), async (c) => {
    const owner = c.req.query('owner') || undefined
    const stateText = c.req.query('state') || undefined
    if (stateText !== undefined && !(CARD_STATES as ReadonlyArray<string>).includes(stateText)) {
      return badRequest(c, `state: "${stateText}" is not a state; use one of ${CARD_STATES.join(', ')}.`)
    }
    const state = stateText as CardState | undefined
    const pageText = c.req.query('page') ?? '1'
    if (!/^[1-9][0-9]{0,5}$/.test(pageText)) {
      return badRequest(c, `page: "${pageText}" is not a page number; pages count from 1.`)
    }
    const [rows, owners] = await Promise.all([
      selectBoard(deps.readModels, owner ?? null),
      selectOwners(deps.readModels),
    ])
    const now = deps.decisionClock()
    const cards = worstFirst(rows.map((row) => boardCardOf(row, now)))
    const counts = Object.fromEntries(CARD_STATES.map((name) => [name, 0])) as Record<CardState, number>
    for (const card of cards) counts[card.state] += 1
    return page(
      c,
      boardPage({
        cards: state === undefined ? cards : cards.filter((card) => card.state === state),
        page: Number(pageText),
        owners,
        owner,
        state,
        counts,
        now,
        csrf: c.var.session.csrf,
      }),
    )
  })

  app.get('/pipelines/:id', signedIn('read'), async (c) => {
    const params = decodeInputEither(PipelineParams, 'path', c.req.param())
    if (Either.isLeft(params)) return badRequest(c, problemsOf(params.left))
    const id = params.right.id
    const pipeline = await getPipeline(deps.readModels, id)
    if (pipeline === null) return notFound(c, `id: no pipeline ${id} is registered.`)
    const [timeline, sensors, recorded, events] = await Promise.all([
      selectTimeline(deps.readModels, id, TIMELINE_RUNS),
      latestSensors(deps.readModels, id),
      deps.events.readStream(pipelineStreamId(id)),
      listAuditEvents(deps.readModels, { pipelineId: id, limit: RECENT_EVENTS }),
    ])
    const versions: Array<ConfigVersion> = []
    for (const { event } of recorded) {
      if (event._tag === 'PipelineConfigRegistered' || event._tag === 'PipelineConfigChanged') {
        versions.push({
          version: event.version,
          hash: event.hash,
          at: event.at,
          change: event._tag === 'PipelineConfigRegistered' ? 'registered' : 'changed',
          yaml: stringify(encodePipelineConfig(event.config)),
        })
      } else if (event._tag === 'PipelineConfigRemoved') {
        versions.push({ version: event.version, hash: '', at: event.at, change: 'removed', yaml: null })
      }
    }
    return page(
      c,
      pipelinePage({
        pipeline,
        timeline,
        sensors,
        versions,
        events: events.items,
        now: deps.decisionClock(),
        csrf: c.var.session.csrf,
      }),
    )
  })

  app.get('/pipelines/:id/backtest', signedIn('read'), async (c) => {
    const params = decodeInputEither(PipelineParams, 'path', c.req.param())
    if (Either.isLeft(params)) return badRequest(c, problemsOf(params.left))
    const id = params.right.id
    const pipeline = await deps.commands.pipeline(id)
    if (pipeline.status !== 'Registered') return notFound(c, `id: no pipeline ${id} is registered.`)
    const config = stringify(encodePipelineConfig(pipeline.config))
    return page(c, backtestPage({ pipelineId: id, config, from: '', to: '', csrf: c.var.session.csrf }))
  })

  app.post('/pipelines/:id/backtest', signedIn('read'), async (c) => {
    const params = decodeInputEither(PipelineParams, 'path', c.req.param())
    if (Either.isLeft(params)) return badRequest(c, problemsOf(params.left))
    const id = params.right.id
    const form = await c.req.parseBody()
    const field = (name: string) => (typeof form[name] === 'string' ? form[name].trim() : '')
    const view = { pipelineId: id, config: field('config'), from: field('from'), to: field('to') }
    const request = decodeInputEither(BacktestRequest, 'body', {
      config: view.config,
      ...(view.from === '' ? {} : { from: view.from }),
      ...(view.to === '' ? {} : { to: view.to }),
    })
    const refused = (problems: ReadonlyArray<{ readonly path: string; readonly message: string }>) =>
      page(
        c,
        backtestPage({
          ...view,
          problems: problems.map((problem) => `${problem.path}: ${problem.message}`),
          csrf: c.var.session.csrf,
        }),
        400,
      )
    if (Either.isLeft(request)) return refused(request.left)
    try {
      const report = await backtestPipeline(deps, id, request.right)
      return page(c, backtestPage({ ...view, report, csrf: c.var.session.csrf }))
    } catch (error) {
      if (error instanceof InvalidRequest) return refused(error.problems)
      if (error instanceof PipelineNotFound) return notFound(c, `id: no pipeline ${id} is registered.`)
      throw error
    }
  })

  app.get('/pipelines/:id/runs/:period', signedIn('read'), async (c) => {
    const params = decodeInputEither(RunParams, 'path', c.req.param())
    if (Either.isLeft(params)) return badRequest(c, problemsOf(params.left))
    const query = decodeInputEither(RunQuery, 'query', c.req.query())
    if (Either.isLeft(query)) return badRequest(c, problemsOf(query.left))
    const key = {
      pipelineId: params.right.id,
      scheduleId: query.right.schedule ?? DEFAULT_SCHEDULE,
      period: params.right.period,
    }
    const [found, reruns, recorded] = await Promise.all([
      getRun(deps.readModels, key),
      selectRunReruns(deps.readModels, key),
      deps.events.readStream(runStreamId(key)),
    ])
    if (found === null) {
      return notFound(
        c,
        `period: ${key.pipelineId} has no run of ${key.period} (schedule ${key.scheduleId}) yet.`,
      )
    }
    const steps = explainRun(
      recorded.map((event) => event.event as RunEvent),
      key,
    )
    return page(
      c,
      runPage({
        run: found.run,
        attempts: found.attempts,
        reruns,
        steps,
        now: deps.decisionClock(),
        csrf: c.var.session.csrf,
      }),
    )
  })

  app.get('/events', signedIn('read'), async (c) => {
    const { form, filter, cursor, problems: filterProblems } = eventsFilterOf((name) => c.req.query(name))
    const problems = [...filterProblems]
    let listed: { readonly items: ReadonlyArray<AuditEventView>; readonly nextCursor: string | null } = {
      items: [],
      nextCursor: null,
    }
    if (problems.length === 0) {
      try {
        listed = await listAuditEvents(deps.readModels, {
          ...filter,
          ...(cursor === undefined ? {} : { cursor }),
          limit: FEED_PAGE,
        })
      } catch (error) {
        if (!(error instanceof InvalidPageRequest)) throw error
        problems.push(UNKNOWN_BEFORE)
      }
    }
    const paged = cursor !== undefined
    const shown = listed.items
    const older = listed.nextCursor ?? undefined
    return page(
      c,
      eventsPage({
        events: shown,
        filter: form,
        problems,
        older,
        paged,
        csrf: c.var.session.csrf,
      }),
      problems.length > 0 ? 400 : 200,
    )
  })

  const deadLetters = async (
    c: Context<DashboardEnv>,
    notice?: { readonly kind: 'done' | 'refused'; readonly text: string },
  ) => {
    const includeRedriven = c.req.query('all') === '1'
    const letters = await listDeadLetters(deps.readModels, { includeRedriven, limit: 200 })
    const scopes = c.var.session.principal.scopes
    return deadLettersPage({
      letters: letters.items,
      includeRedriven,
      admin: scopes.includes('admin'),
      ...(notice === undefined ? {} : { notice }),
      csrf: c.var.session.csrf,
    })
  }

  app.get('/dead-letters', signedIn('read'), async (c) => {
    const redriven = c.req.query('redriven')
    const notice =
      redriven !== undefined && /^[1-9][0-9]{0,17}$/.test(redriven)
        ? {
            kind: 'done' as const,
            text: `Dead letter ${redriven} was redriven: its work is back in its queue.`,
          }
        : undefined
    return page(c, await deadLetters(c, notice))
  })

  app.post('/dead-letters/:id/redrive', signedIn('admin'), async (c) => {
    const id = decodeInputEither(DeadLetterId, 'path', c.req.param('id'), 'id')
    if (Either.isLeft(id)) return badRequest(c, problemsOf(id.left))
    const letter = await deps.deadLetters.get(BigInt(id.right))
    if (letter === null) return notFound(c, `id: no dead letter ${id.right}.`)
    try {
      await deps.deadLetters.redrive(letter)
    } catch (error) {
      if (!(error instanceof RedriveRefused)) throw error
      return page(c, await deadLetters(c, { kind: 'refused', text: error.message }), 409)
    }
    c.var.log.info({ deadLetter: id.right, kind: letter.kind }, 'dead letter redriven from the dashboard')
    return c.redirect(`/dead-letters?redriven=${id.right}`, 303)
  })

  return app
}
