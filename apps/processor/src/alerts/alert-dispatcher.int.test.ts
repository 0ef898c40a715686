import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestDatabase, type TestDatabase } from '@interlock/db'
import {
  attemptIdFor,
  InterlockEvent,
  instantFromText,
  RunEvent,
  type RunKey,
  runStreamId,
} from '@interlock/domain'
import { EventStore, makeEventCodec, resetSubscription } from '@interlock/eventstore'
import { getDeadLetter } from '@interlock/projections'
import {
  type FakeSlack,
  type ReceivedWebhook,
  slackApiError,
  slackHang,
  slackRateLimited,
  slackStatus,
  startFakeSlack,
  startWebhookReceiver,
  type WebhookReceiver,
} from '@interlock/test'
import { makeOutboundHttp, type OutboundHttp, parseAllowList } from '@interlock/triggers'
import { Schema } from 'effect'
import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { systemClock } from '../clock.ts'
import { CommandBus } from '../command-bus.ts'
import type { Alert } from './alert.ts'
import { alertConfig } from './alert-config.ts'
import { ALERT_SUBSCRIPTION, type AlertDispatcher, startAlertDispatcher } from './alert-dispatcher.ts'
import { redriveAlert } from './redrive-alert.ts'

const PIPELINE = `
pipeline: { id: gold-revenue, owner: revenue-team, description: Daily revenue rollup }
schedule:
  trigger: { key: landed, check: equals, field: status, value: COMPLETE }
job:
  type: command
  config: { command: "true" }
`
const RUN: RunKey = { pipelineId: 'gold-revenue', scheduleId: 'default', period: '2026-03-01' }
const NEXT_DAY: RunKey = { ...RUN, period: '2026-03-02' }
const decodeEvent = Schema.decodeUnknownSync(RunEvent)

type LogEntry = { level: string; message: string; fields?: Record<string, unknown> }

let database: TestDatabase
let pool: pg.Pool
let store: EventStore<InterlockEvent>
let bus: CommandBus
let http: OutboundHttp
let slack: FakeSlack
let webhook: WebhookReceiver
let folder: string
let lines: Array<string>
let logs: Array<LogEntry>
let dispatcher: AlertDispatcher | undefined

beforeEach(async () => {
  database = await createTestDatabase()
  pool = new pg.Pool({ connectionString: database.url, max: 8 })
  store = new EventStore({ pool, codec: makeEventCodec(InterlockEvent) })
  await store.wakeup.listen(database.url)
  bus = new CommandBus({ store, clock: systemClock })
  await bus.registerPipeline(PIPELINE, { actor: 'test' })
  http = makeOutboundHttp({ allowPrivateTargets: parseAllowList('127.0.0.1/32').ranges })
  slack = await startFakeSlack()
  webhook = await startWebhookReceiver()
  folder = await mkdtemp(join(tmpdir(), 'interlock-alerts-'))
  lines = []
  logs = []
  dispatcher = undefined
})

afterEach(async () => {
  // The fakes close first: a delivery hanging on one ends, so the dispatcher stops at once.
  await slack.close()
  await webhook.close()
  await dispatcher?.stop()
  await http.close()
  await store.close()
  await pool.end()
  await database.drop()
  await rm(folder, { recursive: true, force: true })
})

/** Starts the dispatcher with every sink on (each taking every alert unless a route says otherwise). */
function start(env: Record<string, string> = {}): AlertDispatcher {
  dispatcher = startAlertDispatcher({
    store,
    http,
    config: alertConfig({
      INTERLOCK_ALERT_CONSOLE_ROUTE: '*',
      INTERLOCK_ALERT_FILE_PATH: join(folder, 'alerts.ndjson'),
      INTERLOCK_ALERT_WEBHOOK_URL: `${webhook.url}/hooks/interlock`,
      INTERLOCK_ALERT_WEBHOOK_AUTHORIZATION: 'Bearer hook-secret',
      INTERLOCK_ALERT_SLACK_TOKEN: slack.token,
      INTERLOCK_ALERT_SLACK_CHANNEL: 'C0ALERTS',
      INTERLOCK_ALERT_SLACK_API_URL: slack.apiUrl,
      INTERLOCK_ALERT_RETRY_BASE_MS: '1',
      INTERLOCK_ALERT_RETRY_MAX_MS: '20',
      ...env,
    }),
    pipelineInfo: async (pipelineId, version) => (await bus.pipelineConfigAt(pipelineId, version))?.pipeline,
    log: (level, message, fields) => logs.push({ level, message, ...(fields ? { fields } : {}) }),
    writeLine: (line) => lines.push(line),
  })
  return dispatcher
}

async function append(run: RunKey, ...events: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  await store.append(
    runStreamId(run),
    'any',
    events.map((event) => decodeEvent({ at: '2026-03-01T07:00:00.000Z', configVersion: 1, ...event })),
    { actor: 'test', configVersion: 1, tags: { ...run } },
  )
}

const attempt = (run: RunKey = RUN) => attemptIdFor(run, 1)
const jobFailed = (run: RunKey = RUN) => ({
  _tag: 'JobFailed',
  attemptId: attempt(run),
  runId: 'run-1',
  outcome: 'fail',
  error: 'exit status 1',
  observedBy: 'poll',
})
const jobSucceeded = (run: RunKey = RUN) => ({
  _tag: 'JobSucceeded',
  attemptId: attempt(run),
  runId: 'run-1',
  observedBy: 'poll',
})
const slaWarning = (critical: boolean) => ({
  _tag: 'SlaWarningRaised',
  kind: 'absolute',
  breachAt: '2026-03-02T10:00:00.000Z',
  status: 'RUNNING',
  critical,
})
const slaMet = {
  _tag: 'SlaVerdictReached',
  kind: 'absolute',
  verdict: 'met',
  breachAt: '2026-03-02T10:00:00.000Z',
  critical: false,
}
const retryExhausted = {
  _tag: 'RetryBudgetExhausted',
  failedAttemptId: attempt(),
  retries: 2,
  budget: 2,
}

const typesOf = (alerts: ReadonlyArray<{ readonly type: string }>) => alerts.map((alert) => alert.type)
const webhookAlerts = () => webhook.received.map((received: ReceivedWebhook) => received.body as Alert)
const consoleAlerts = () => lines.map((line) => JSON.parse(line) as Alert)
const slackAttempts = () =>
  slack.requests.filter((request) => request.path === '/api/chat.postMessage').length

describe('alert dispatcher', () => {
  it('delivers an alerting event to every sink in the format of §9, and nothing for internal facts', async () => {
    const alerts = start()
    await append(RUN, {
      _tag: 'JobStarted',
      attemptId: attempt(),
      triggerTry: 1,
      jobType: 'command',
      runId: 'run-1',
      metadata: {},
      synchronous: false,
    })
    await append(RUN, jobFailed())
    await alerts.settle()

    const text = [
      '🔴 *JOB_FAILED* | gold-revenue | 2026-03-01',
      'job failed: exit status 1',
      'Owner: revenue-team · Daily revenue rollup',
    ].join('\n')
    expect(slack.messages).toHaveLength(1)
    expect(slack.messages[0]).toMatchObject({
      channel: 'C0ALERTS',
      threadTs: undefined,
      rendered: text,
      text,
    })
    expect(slack.messages[0]?.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text } }])

    const expected = {
      type: 'JOB_FAILED',
      severity: 'critical',
      pipelineId: 'gold-revenue',
      scheduleId: 'default',
      period: '2026-03-01',
      message: 'job failed: exit status 1',
      owner: 'revenue-team',
      description: 'Daily revenue rollup',
      occurredAt: '2026-03-01T07:00:00.000Z',
    }
    expect(consoleAlerts()).toEqual([expect.objectContaining(expected)])
    const file = await readFile(join(folder, 'alerts.ndjson'), 'utf8')
    expect(file.endsWith('\n')).toBe(true)
    expect(
      file
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([expect.objectContaining(expected)])
    expect(webhook.received).toHaveLength(1)
    expect(webhook.received[0]?.path).toBe('/hooks/interlock')
    expect(webhook.received[0]?.headers.authorization).toBe('Bearer hook-secret')
    expect(webhook.received[0]?.headers['idempotency-key']).toBe(`interlock-alert-${consoleAlerts()[0]?.id}`)
    expect(webhook.received[0]?.body).toEqual({ ...consoleAlerts()[0], text })
  })

  it('threads the alerts of one run: the first starts the thread, later ones reply in it', async () => {
    const alerts = start()
    await append(RUN, jobFailed())
    await append(NEXT_DAY, jobFailed(NEXT_DAY))
    await append(RUN, retryExhausted)
    await alerts.settle()

    const [first, otherRun, reply] = slack.messages
    expect(slack.messages.map((message) => message.rendered.split('\n')[0])).toEqual([
      '🔴 *JOB_FAILED* | gold-revenue | 2026-03-01',
      '🔴 *JOB_FAILED* | gold-revenue | 2026-03-02',
      '🔴 *RETRY_EXHAUSTED* | gold-revenue | 2026-03-01',
    ])
    expect(first?.threadTs).toBeUndefined()
    expect(otherRun?.threadTs).toBeUndefined()
    expect(reply?.threadTs).toBe(first?.ts)
    const { rows } = await pool.query(
      'select period, channel, thread_ts from alert_slack_threads order by period',
    )
    expect(rows).toEqual([
      { period: '2026-03-01', channel: 'C0ALERTS', thread_ts: first?.ts },
      { period: '2026-03-02', channel: 'C0ALERTS', thread_ts: otherRun?.ts },
    ])
  })

  it('routes each alert by its type and severity', async () => {
    const alerts = start({
      INTERLOCK_ALERT_SLACK_ROUTE: 'critical',
      INTERLOCK_ALERT_WEBHOOK_ROUTE: 'SLA_WARNING,success',
      INTERLOCK_ALERT_CONSOLE_ROUTE: '*,!critical',
      INTERLOCK_ALERT_FILE_ROUTE: 'info',
    })
    await append(RUN, jobFailed(), slaWarning(false), slaMet, jobSucceeded())
    await append(NEXT_DAY, slaWarning(true))
    await alerts.settle()

    expect(slack.messages.map((message) => message.rendered.split('\n')[0])).toEqual([
      '🔴 *JOB_FAILED* | gold-revenue | 2026-03-01',
      // sla.critical raises a warning to critical (C10), and the route follows the severity.
      '🔴 *SLA_WARNING* | gold-revenue | 2026-03-02',
    ])
    expect(typesOf(webhookAlerts())).toEqual(['SLA_WARNING', 'SLA_MET', 'SLA_WARNING'])
    expect(webhookAlerts().map((alert) => alert.severity)).toEqual(['warning', 'success', 'critical'])
    expect(typesOf(consoleAlerts())).toEqual(['SLA_WARNING', 'SLA_MET', 'JOB_COMPLETED'])
    const file = await readFile(join(folder, 'alerts.ndjson'), 'utf8')
    expect(
      typesOf(
        file
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line) as Alert),
      ),
    ).toEqual(['JOB_COMPLETED'])
  })

  it('retries a failing Slack with backoff, then dead-letters the alert while the other sinks carry on', async () => {
    slack.failAlways(slackStatus(500))
    const alerts = start({ INTERLOCK_ALERT_MAX_ATTEMPTS: '3' })
    await append(RUN, jobFailed())
    await alerts.settle()

    expect(slackAttempts()).toBe(3)
    expect(slack.messages).toEqual([])
    expect(typesOf(webhookAlerts())).toEqual(['JOB_FAILED'])
    expect(typesOf(consoleAlerts())).toEqual(['JOB_FAILED'])
    const { rows } = await pool.query<{ id: string }>(`select id from dead_letters where kind = 'alert'`)
    expect(rows).toHaveLength(1)
    const deadLetter = await getDeadLetter(pool, BigInt(rows[0]!.id))
    expect(deadLetter).toMatchObject({
      kind: 'alert',
      key: `alert:${consoleAlerts()[0]?.id}:slack`,
      attempts: 3,
      error: 'slack: answered status 500: upstream error 500',
      payload: { sink: 'slack', alert: consoleAlerts()[0] },
      redrivenAt: null,
    })
    expect(logs.filter((entry) => entry.message === 'alert delivery failed; retrying')).toHaveLength(2)

    // The dispatcher moved on: a later alert is delivered once Slack is back, and the redrive sends the first.
    slack.recover()
    await append(RUN, retryExhausted)
    await alerts.settle()
    expect(slack.messages.map((message) => message.rendered.split('\n')[0])).toEqual([
      '🔴 *RETRY_EXHAUSTED* | gold-revenue | 2026-03-01',
    ])
    await redriveAlert(pool, deadLetter!, instantFromText('2026-03-01T08:00:00Z'))
    await alerts.settle()
    expect(slack.messages.map((message) => message.rendered.split('\n')[0])).toEqual([
      '🔴 *RETRY_EXHAUSTED* | gold-revenue | 2026-03-01',
      '🔴 *JOB_FAILED* | gold-revenue | 2026-03-01',
    ])
    expect(slack.messages[1]?.threadTs).toBe(slack.messages[0]?.ts)
    expect((await getDeadLetter(pool, deadLetter!.id))?.redrivenAt).toBe('2026-03-01T08:00:00.000Z')
  })

  it('stops calling a Slack that keeps failing while its circuit is open, and the other sinks carry on', async () => {
    slack.failAlways(slackStatus(503))
    const alerts = start({ INTERLOCK_ALERT_MAX_ATTEMPTS: '10', INTERLOCK_ALERT_RETRY_MAX_MS: '60000' })
    await append(RUN, jobFailed(), retryExhausted)
    await append(NEXT_DAY, jobFailed(NEXT_DAY))
    await alerts.subscription.caughtUp()
    const opened = () => logs.some((entry) => entry.message.includes('the circuit is open'))
    while (!opened() || webhook.received.length < 3) await new Promise((resolve) => setTimeout(resolve, 10))
    // Five failures in a row open the circuit (§9.4 step 7): no sixth call, no alert dead-lettered.
    expect(slackAttempts()).toBe(5)
    expect(typesOf(webhookAlerts())).toEqual(['JOB_FAILED', 'RETRY_EXHAUSTED', 'JOB_FAILED'])
    const { rows } = await pool.query(
      `select count(*)::int as count from alert_deliveries where sink = 'slack' and status = 'pending'`,
    )
    expect(rows).toEqual([{ count: 3 }])
    expect((await pool.query(`select id from dead_letters`)).rows).toEqual([])
  })

  it('waits out a rate limit and dead-letters a refused token at once, never logging the token', async () => {
    slack.failNext(slackRateLimited(0), slackApiError('invalid_auth'))
    const alerts = start()
    await append(RUN, jobFailed())
    await alerts.settle()
    expect(slack.messages).toEqual([])
    const { rows } = await pool.query(`select attempts, error from dead_letters where kind = 'alert'`)
    expect(rows).toEqual([{ attempts: 2, error: 'slack: slack API error: invalid_auth' }])
    expect(JSON.stringify(logs)).not.toContain(slack.token)
    expect(JSON.stringify(rows)).not.toContain(slack.token)

    slack.failNext(slackRateLimited(0))
    await append(RUN, retryExhausted)
    await alerts.settle()
    expect(slackAttempts()).toBe(4)
    expect(slack.messages.map((message) => message.rendered.split('\n')[0])).toEqual([
      '🔴 *RETRY_EXHAUSTED* | gold-revenue | 2026-03-01',
    ])
  })

  it('keeps reading the log and serving the other sinks while Slack does not answer', async () => {
    slack.failAlways(slackHang)
    const alerts = start({ INTERLOCK_ALERT_TIMEOUT_MS: '60000' })
    await append(RUN, jobFailed())
    await append(NEXT_DAY, jobFailed(NEXT_DAY))
    await alerts.subscription.caughtUp()
    while (webhook.received.length < 2 || slackAttempts() < 1) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    // Slack holds the first delivery; the log was read to its end and the webhook has both alerts.
    expect(slackAttempts()).toBe(1)
    expect(slack.messages).toEqual([])
    expect(typesOf(webhookAlerts())).toEqual(['JOB_FAILED', 'JOB_FAILED'])
    const { rows } = await pool.query(
      `select count(*)::int as count from alert_deliveries where sink = 'slack' and status = 'pending'`,
    )
    expect(rows).toEqual([{ count: 2 }])
  })

  it('sends one alert per sink when the same event is delivered twice', async () => {
    const first = start()
    await append(RUN, jobFailed())
    await first.settle()
    await first.stop()
    dispatcher = undefined

    // A restart before the checkpoint was stored: the subscription reads the same event again.
    await resetSubscription(pool, ALERT_SUBSCRIPTION)
    const second = start()
    await second.settle()
    const { rows } = await pool.query<{ global_position: string }>(
      `select global_position::text from event_subscriptions where name = $1`,
      [ALERT_SUBSCRIPTION],
    )
    expect(rows[0]?.global_position).not.toBe('0')
    expect(slack.messages).toHaveLength(1)
    expect(webhook.received).toHaveLength(1)
    expect(lines).toHaveLength(1)
    const file = await readFile(join(folder, 'alerts.ndjson'), 'utf8')
    expect(file.trimEnd().split('\n')).toHaveLength(1)
  })
})
