import {
  EVENT_TAGS,
  type InterlockEvent,
  type PipelineInfo,
  publicEventOf,
  RunEvent,
  type RunKey,
} from '@interlock/domain'
import { type EventStore, type RecordedEvent, Subscription } from '@interlock/eventstore'
import type { OutboundHttp } from '@interlock/triggers'
import { SchemaAST } from 'effect'
import type { ReactorLog } from '../reactor.ts'
import { type Alert, alertOf } from './alert.ts'
import type { AlertConfig, AlertSinkConfig, SinkName } from './alert-config.ts'
import { routes } from './alert-route.ts'
import type { AlertSink } from './alert-sink.ts'
import { insertAlertDeliveries, logHead, pendingAlertDeliveries, subscriptionPosition } from './alert-sql.ts'
import { makeConsoleSink, type WriteLine, writeStdout } from './console-sink.ts'
import { DeliveryWorker } from './delivery-worker.ts'
import { makeFileSink } from './file-sink.ts'
import { makeSlackSink } from './slack-sink.ts'
import { makeWebhookSink } from './webhook-sink.ts'

/** The name of the dispatcher's log subscription (its checkpoint row and lease). */
export const ALERT_SUBSCRIPTION = 'alerts'

/** The pipeline's owner and description under a config version, when it is known. */
export type PipelineInfoLookup = (
  pipelineId: string,
  configVersion: number | undefined,
) => Promise<PipelineInfo | undefined>

export interface AlertDispatcherOptions {
  readonly store: EventStore<InterlockEvent>
  readonly config: AlertConfig
  /** The SSRF-guarded client webhooks and Slack are called through (T6). */
  readonly http: OutboundHttp
  readonly pipelineInfo: PipelineInfoLookup
  readonly log?: ReactorLog
  /** Where the console sink writes its lines (stdout). */
  readonly writeLine?: WriteLine
  /** The subscription's backstop poll (default 1 s). */
  readonly pollIntervalMs?: number
}

/** The running dispatcher: its log subscription and one delivery worker per configured sink. */
export interface AlertDispatcher {
  readonly subscription: Subscription<InterlockEvent>
  readonly sinks: ReadonlyArray<SinkName>
  /**
   * Resolves once every alert of the events appended so far is queued and no delivery is pending (sent or
   * dead-lettered). For tests and demos: it waits out retries. Rejects after `timeoutMs` (default 30 s).
   */
  readonly settle: (timeoutMs?: number) => Promise<void>
  /** Stops the subscription, then the workers after the delivery each has in flight. */
  readonly stop: () => Promise<void>
}

const SETTLE_POLL_MS = 10
const DEFAULT_SETTLE_TIMEOUT_MS = 30_000
/** Pipeline infos kept per (pipeline, config version); versions never change, so the cache is only bounded. */
const PIPELINE_INFO_CACHE_SIZE = 1_000

/** The stored types of run events: only they publish public events (lifecycle §9.2). */
const RUN_EVENT_TYPES: ReadonlySet<string> = new Set(
  RunEvent.members.flatMap((member) => {
    const tag = SchemaAST.getPropertySignatures(member.ast).find((property) => property.name === '_tag')
    return tag !== undefined && SchemaAST.isLiteral(tag.type) && typeof tag.type.literal === 'string'
      ? [tag.type.literal]
      : []
  }),
)

/**
 * Starts the alert dispatcher (lifecycle §9.4, §10.3): an at-least-once subscription of the log turns
 * each run event whose public event alerts into one alert, and queues a delivery for every sink whose
 * route takes it — in the `alert_deliveries` outbox, keyed by the event's position, so an event read
 * twice is sent once (L9). Per sink, a worker delivers apart from the subscription, retrying with backoff
 * and dead-lettering what keeps failing; a sink that is down delays only its own deliveries.
 */
export function startAlertDispatcher(options: AlertDispatcherOptions): AlertDispatcher {
  const log = options.log ?? (() => {})
  const pool = options.store.pool
  const sinks = options.config.sinks.map((sink) =>
    makeSink(sink, options, log, options.writeLine ?? writeStdout),
  )
  const workers = sinks.map(
    (sink) =>
      new DeliveryWorker({
        pool,
        sink,
        retry: options.config.retry,
        timeoutMs: options.config.timeoutMs,
        log,
      }),
  )
  const pipelineInfo = cached(options.pipelineInfo)

  const handle = async (events: ReadonlyArray<RecordedEvent<InterlockEvent>>): Promise<void> => {
    if (sinks.length === 0) return
    const deliveries: Array<{ position: bigint; sink: SinkName; alert: Alert }> = []
    for (const recorded of events) {
      if (!RUN_EVENT_TYPES.has(recorded.type)) continue
      const run = runKeyOf(recorded)
      if (run === undefined) {
        log('error', 'run event without run key tags; no alert can name its run', {
          type: recorded.type,
          streamId: recorded.streamId,
          position: recorded.globalPosition.toString(),
        })
        continue
      }
      const published = publicEventOf(recorded.event as RunEvent, run)
      if (published === null || !published.alert) continue
      const info = await pipelineInfo(run.pipelineId, recorded.metadata.configVersion)
      const alert = alertOf(recorded, run, published, info)
      for (const sink of sinks) {
        if (routes(sink.route, alert))
          deliveries.push({ position: recorded.globalPosition, sink: sink.name, alert })
      }
    }
    if ((await insertAlertDeliveries(pool, deliveries)) > 0) {
      for (const worker of workers) worker.nudge()
    }
  }

  const subscription = new Subscription(options.store, ALERT_SUBSCRIPTION, handle, {
    transactional: false,
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    onError: (error, attempt) =>
      log('error', 'alert dispatch batch failed; retrying', { error: String(error), attempt }),
  })
  const names = sinks.map((sink) => sink.name)

  return {
    subscription,
    sinks: names,
    settle: async (timeoutMs = DEFAULT_SETTLE_TIMEOUT_MS) => {
      const deadline = Date.now() + timeoutMs
      const expired = (what: string) => {
        if (Date.now() > deadline) throw new Error(`alerts did not settle within ${timeoutMs} ms: ${what}`)
      }
      // caughtUp alone can resolve early: the log is read only below transactions still in flight.
      const head = await logHead(pool)
      while ((await subscriptionPosition(pool, ALERT_SUBSCRIPTION)) < head) {
        expired(`the ${ALERT_SUBSCRIPTION} subscription has not read up to position ${head}`)
        await subscription.caughtUp()
      }
      for (;;) {
        const pending = await pendingAlertDeliveries(pool, names)
        if (pending.count === 0) return
        expired(`${pending.count} deliveries still pending (a sink keeps failing with a long backoff?)`)
        for (const worker of workers) worker.nudge()
        await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS))
      }
    },
    stop: async () => {
      await subscription.stop()
      await Promise.all(workers.map((worker) => worker.stop()))
    },
  }
}

function makeSink(
  config: AlertSinkConfig,
  options: AlertDispatcherOptions,
  log: ReactorLog,
  writeLine: WriteLine,
): AlertSink {
  switch (config.sink) {
    case 'console':
      return makeConsoleSink(config.route, writeLine)
    case 'file':
      return makeFileSink(config.route, config.path)
    case 'webhook':
      return makeWebhookSink({
        route: config.route,
        url: config.url,
        authorization: config.authorization,
        timeoutMs: options.config.timeoutMs,
        http: options.http,
      })
    case 'slack':
      return makeSlackSink({
        route: config.route,
        token: config.token,
        channel: config.channel,
        apiUrl: config.apiUrl,
        timeoutMs: options.config.timeoutMs,
        http: options.http,
        db: options.store.pool,
        log,
      })
  }
}

function runKeyOf(recorded: RecordedEvent<InterlockEvent>): RunKey | undefined {
  const tags = recorded.metadata.tags ?? {}
  const pipelineId = tags[EVENT_TAGS.pipelineId]
  const scheduleId = tags[EVENT_TAGS.scheduleId]
  const period = tags[EVENT_TAGS.period]
  return pipelineId === undefined || scheduleId === undefined || period === undefined
    ? undefined
    : { pipelineId, scheduleId, period }
}

function cached(lookup: PipelineInfoLookup): PipelineInfoLookup {
  const entries = new Map<string, Promise<PipelineInfo | undefined>>()
  return (pipelineId, configVersion) => {
    // Without a version the current config is asked for, which can change: not cached.
    if (configVersion === undefined) return lookup(pipelineId, configVersion)
    const key = `${pipelineId}@${configVersion}`
    let entry = entries.get(key)
    if (entry === undefined) {
      if (entries.size >= PIPELINE_INFO_CACHE_SIZE) entries.clear()
      entry = lookup(pipelineId, configVersion)
      // A failed lookup is not kept: the batch is retried and asks again.
      entry.catch(() => entries.delete(key))
      entries.set(key, entry)
    }
    return entry
  }
}
