import { type ApiServer, createToken, DEFAULT_API_CONFIG, startApi } from '@interlock/api'
import { createTestDatabase, type TestDatabase } from '@interlock/db'
import { type Processor, processorConfig, startProcessor } from '@interlock/processor'
import { allProjections, combineProjections } from '@interlock/projections'
import { startWebhookReceiver, type WebhookReceiver } from '../../src/index.ts'

/** Where every scenario's simulated clock starts: Monday 2026-03-02, 06:00 UTC. */
export const E2E_START = '2026-03-02T06:00:00Z'

/** An answer of the API: its status and its parsed JSON body. */
export interface Answer {
  readonly status: number
  readonly body: unknown
}

/** A public event as `GET /api/events` lists it. */
export interface PublicEvent {
  readonly id: string
  readonly type: string
  readonly pipelineId: string
  readonly scheduleId: string
  readonly period: string
  readonly message: string
  readonly [field: string]: unknown
}

/** One alert as the webhook sink posts it. */
export interface ReceivedAlert {
  readonly type: string
  readonly severity: string
  readonly [field: string]: unknown
}

/** One attempt of a run as the run log shows it (the fields scenarios read). */
export interface AttemptLog {
  readonly attemptId: string
  readonly attemptNumber: number
  readonly cause: string
  readonly status: string
  readonly [field: string]: unknown
}

/** The run log of one period. */
export interface RunLog {
  readonly run: { readonly status: string; readonly attemptCount: number; readonly [field: string]: unknown }
  readonly attempts: ReadonlyArray<AttemptLog>
}

export interface InterlockOptions {
  /** Extra processor settings (INTERLOCK_*). */
  readonly env?: Readonly<Record<string, string>>
  /** The simulated clock's start (RFC 3339); `E2E_START` when absent. */
  readonly start?: string
}

/**
 * Interlock as a user sees it: a processor on a simulated clock and the API on a free port, over a
 * database of their own, alerts going to a fake webhook receiver. Scenarios use only `call`, `advance`
 * and the read helpers built on them; `alertsDelivered` waits for the alert sink to drain (delivery is
 * asynchronous by design, so a scenario must wait for it before reading the receiver).
 */
export interface Interlock {
  readonly url: string
  readonly webhook: WebhookReceiver
  readonly call: (method: string, path: string, body?: unknown, contentType?: string) => Promise<Answer>
  /** Registers a pipeline from YAML text; fails the test unless the API accepts it. */
  readonly register: (id: string, yaml: string) => Promise<void>
  /** Pushes one sensor reading; fails the test unless the API accepts it. */
  readonly sensor: (pipelineId: string, key: string, data: Record<string, unknown>) => Promise<Answer>
  /** `POST /api/clock/advance` by a duration (`"5m"`); answers once every due timer is handled. */
  readonly advance: (by: string) => Promise<void>
  /** Every public event of a pipeline, oldest first (all pages). */
  readonly events: (pipelineId: string) => Promise<ReadonlyArray<PublicEvent>>
  /** The public events of a pipeline as `TYPE` strings, oldest first. */
  readonly eventTypes: (pipelineId: string) => Promise<ReadonlyArray<string>>
  /** The run log of one period: `GET /api/pipelines/{id}/runs/{period}` (run and attempts). */
  readonly run: (pipelineId: string, period: string) => Promise<RunLog>
  /** The alerts the webhook received, once every alert so far has been delivered. */
  readonly alerts: () => Promise<ReadonlyArray<ReceivedAlert>>
  /** Rows of a read of the database, for asserting what a request left behind (or did not). */
  readonly query: (sql: string) => Promise<ReadonlyArray<Record<string, unknown>>>
  readonly close: () => Promise<void>
}

const expectOk = (what: string, answer: Answer, ...ok: ReadonlyArray<number>): Answer => {
  if (!ok.includes(answer.status)) {
    throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`)
  }
  return answer
}

export async function startInterlock(options: InterlockOptions = {}): Promise<Interlock> {
  const database: TestDatabase = await createTestDatabase()
  const webhook = await startWebhookReceiver()
  let processor: Processor | undefined
  let api: ApiServer | undefined
  try {
    processor = await startProcessor(
      processorConfig(database.url, {
        INTERLOCK_CLOCK: 'simulated',
        INTERLOCK_CLOCK_START: options.start ?? E2E_START,
        INTERLOCK_ALLOW_PRIVATE_TARGETS: '127.0.0.1/32',
        INTERLOCK_ALERT_WEBHOOK_URL: `${webhook.url}/hooks/interlock`,
        INTERLOCK_ALERT_CONSOLE_ROUTE: 'none',
        INTERLOCK_ALERT_RETRY_BASE_MS: '10',
        INTERLOCK_PROCESSOR_ID: 'e2e',
        ...options.env,
      }),
      { projections: [combineProjections('read-models', allProjections)] },
    )
    api = await startApi(processor, { ...DEFAULT_API_CONFIG, port: 0, logLevel: 'silent' })
  } catch (error) {
    await api?.close()
    await processor?.stop()
    await webhook.close()
    await database.drop()
    throw error
  }
  const running = processor
  const served = api
  const admin = (await createToken(running.pool, { name: 'e2e', scopes: ['admin'] })).token

  const call = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const response = await fetch(`${served.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${admin}`,
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    })
    const text = await response.text()
    const type = response.headers.get('content-type') ?? ''
    return { status: response.status, body: type.includes('json') ? (JSON.parse(text) as unknown) : text }
  }

  const events = async (pipelineId: string) => {
    const items: PublicEvent[] = []
    let cursor: string | null = null
    do {
      const query: string = `pipeline=${encodeURIComponent(pipelineId)}&limit=500${
        cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`
      }`
      const page = expectOk('GET /api/events', await call('GET', `/api/events?${query}`), 200).body as {
        items: PublicEvent[]
        nextCursor: string | null
      }
      items.push(...page.items)
      cursor = page.nextCursor
    } while (cursor !== null)
    // The API lists newest first; scenarios read the story in the order it happened.
    return items.sort((a, b) => Number(a.id) - Number(b.id))
  }

  return {
    url: served.url,
    webhook,
    call,
    register: async (id, yaml) => {
      expectOk(
        `PUT /api/pipelines/${id}`,
        await call('PUT', `/api/pipelines/${id}`, yaml, 'application/yaml'),
        200,
        201,
      )
    },
    sensor: async (pipelineId, key, data) =>
      expectOk(
        `POST sensor ${pipelineId}/${key}`,
        await call('POST', `/api/pipelines/${pipelineId}/sensors/${key}`, data),
        200,
        201,
        202,
      ),
    advance: async (by) => {
      expectOk(`advance by ${by}`, await call('POST', '/api/clock/advance', { by }), 200)
    },
    events,
    run: async (pipelineId, period) =>
      expectOk(
        `GET run ${pipelineId}/${period}`,
        await call('GET', `/api/pipelines/${pipelineId}/runs/${period}`),
        200,
      ).body as RunLog,
    eventTypes: async (pipelineId) => (await events(pipelineId)).map((event) => event.type),
    alerts: async () => {
      await running.alerts.settle()
      return webhook.received.map((received) => received.body as ReceivedAlert)
    },
    query: async (sql) => (await running.pool.query(sql)).rows,
    close: async () => {
      await served.close()
      await running.stop()
      await webhook.close()
      await database.drop()
    },
  }
}
