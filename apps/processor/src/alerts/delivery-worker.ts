import { instantOf } from '@interlock/domain'
import { recordDeadLetter } from '@interlock/projections'
import type pg from 'pg'
import type { ReactorLog } from '../reactor.ts'
import type { RetryPolicy } from './alert-config.ts'
import { type AlertSink, deliveryFailureOf } from './alert-sink.ts'
import {
  type AlertDelivery,
  claimAlertDeliveries,
  markAlertDeadLettered,
  markAlertSent,
  pendingAlertDeliveries,
  releaseAlertDeliveries,
  scheduleAlertRetry,
} from './alert-sql.ts'
import { BREAKER_OPEN_MS, BREAKER_THRESHOLD, CircuitBreaker } from './circuit-breaker.ts'
import { retryDelayMs } from './retry-delay.ts'

/** The kind of the dead letters of failed alert deliveries; the payload is `{ sink, alert }`. */
export const ALERT_DEAD_LETTER_KIND = 'alert'

/** Deliveries a worker claims at once: small, so a slow sink holds few of them. */
const CLAIM_BATCH = 10
/** Extra lease on top of the batch's worst case (every delivery taking its whole timeout). */
const LEASE_MARGIN_MS = 30_000
/** The backstop wait when no wake-up and no due retry is known. */
const IDLE_POLL_MS = 1_000
const FAILURE_PAUSE_MAX_MS = 5_000
const MIN_WAIT_MS = 5

export interface DeliveryWorkerOptions {
  readonly pool: pg.Pool
  readonly sink: AlertSink
  readonly retry: RetryPolicy
  readonly timeoutMs: number
  readonly log: ReactorLog
}

/** The dead letter key of one alert's delivery to one sink: a later failure of the same delivery updates it. */
export const alertDeadLetterKey = (delivery: { readonly position: bigint; readonly sink: string }): string =>
  `alert:${delivery.position}:${delivery.sink}`

/**
 * Drains one sink's queue of deliveries, apart from the log subscription, so a sink that is down or slow
 * never holds up the processor: each delivery is tried once per turn; a retryable failure is tried again
 * after a growing backoff, and after the last attempt — or at once for a failure no retry changes — it
 * is dead-lettered and the worker moves on to the next alert.
 */
export class DeliveryWorker {
  readonly sink: AlertSink
  private readonly pool: pg.Pool
  private readonly retry: RetryPolicy
  private readonly leaseMs: number
  private readonly log: ReactorLog
  private running = true
  private woken = false
  private wake: (() => void) | undefined
  private readonly loop: Promise<void>
  private readonly breaker: CircuitBreaker

  constructor(options: DeliveryWorkerOptions) {
    this.pool = options.pool
    this.sink = options.sink
    this.retry = options.retry
    this.leaseMs = CLAIM_BATCH * options.timeoutMs + LEASE_MARGIN_MS
    this.log = options.log
    // As long as the longest retry wait, at most the original's 60 s: tests with tiny backoffs stay quick.
    this.breaker = new CircuitBreaker({
      threshold: BREAKER_THRESHOLD,
      openMs: Math.min(BREAKER_OPEN_MS, options.retry.maxDelayMs),
    })
    this.loop = this.run()
  }

  /** New deliveries may be due: look now rather than at the next poll. */
  nudge(): void {
    this.woken = true
    this.wake?.()
  }

  /** Stops after the delivery in flight; claimed deliveries not yet tried are handed back at once. */
  async stop(): Promise<void> {
    this.running = false
    this.nudge()
    await this.loop
  }

  private async run(): Promise<void> {
    let failures = 0
    while (this.running) {
      try {
        this.woken = false
        const admitted = this.breaker.admits(Date.now(), CLAIM_BATCH)
        if (admitted === 0) {
          await this.sleep(Math.max(MIN_WAIT_MS, (this.breaker.reopensAt() ?? 0) - Date.now()))
          continue
        }
        const claimed = await claimAlertDeliveries(this.pool, this.sink.name, admitted, this.leaseMs)
        let tried = 0
        for (const delivery of claimed) {
          if (!this.running || this.breaker.isOpen(Date.now())) break
          await this.deliver(delivery)
          tried++
        }
        if (tried < claimed.length) {
          await releaseAlertDeliveries(
            this.pool,
            this.sink.name,
            claimed.slice(tried).map((delivery) => delivery.position),
          )
        }
        failures = 0
        if (claimed.length < admitted && !this.woken) await this.sleep(await this.idleWait())
      } catch (error) {
        failures++
        this.log('error', 'alert delivery worker failed; retrying', {
          sink: this.sink.name,
          error: error instanceof Error ? error.message : String(error),
          attempt: failures,
        })
        await this.sleep(Math.min(FAILURE_PAUSE_MAX_MS, 50 * 2 ** (failures - 1)))
      }
    }
  }

  private async deliver(delivery: AlertDelivery): Promise<void> {
    try {
      await this.sink.deliver(delivery.alert)
    } catch (error) {
      return this.failed(delivery, error)
    }
    this.breaker.succeeded()
    await markAlertSent(this.pool, delivery)
  }

  private async failed(delivery: AlertDelivery, error: unknown): Promise<void> {
    const failure = deliveryFailureOf(this.sink.name, error)
    if (failure.retryable && this.breaker.failed(Date.now())) {
      this.log('warn', 'alert sink keeps failing; its deliveries wait while the circuit is open', {
        sink: this.sink.name,
        reopensAt: new Date(this.breaker.reopensAt() ?? Date.now()).toISOString(),
      })
    }
    const attempts = delivery.attempts + 1
    const fields = {
      sink: this.sink.name,
      alertId: delivery.alert.id,
      type: delivery.alert.type,
      pipelineId: delivery.alert.pipelineId,
      attempt: attempts,
      error: failure.message,
    }
    if (failure.retryable && attempts < this.retry.maxAttempts) {
      const delayMs = retryDelayMs(this.retry, attempts, failure.retryAfterMs)
      this.log('warn', 'alert delivery failed; retrying', { ...fields, retryInMs: delayMs })
      await scheduleAlertRetry(this.pool, delivery, delayMs, failure.message)
      return
    }
    this.log('error', 'alert delivery failed for good; dead-lettered', fields)
    const client = await this.pool.connect()
    try {
      await client.query('begin')
      await recordDeadLetter(client, {
        kind: ALERT_DEAD_LETTER_KIND,
        key: alertDeadLetterKey(delivery),
        payload: { sink: delivery.sink, alert: delivery.alert },
        error: failure.message,
        attempts,
        failedAt: instantOf(Date.now()),
      })
      await markAlertDeadLettered(client, delivery, failure.message)
      await client.query('commit')
    } catch (failureToRecord) {
      await client.query('rollback').catch(() => {})
      throw failureToRecord
    } finally {
      client.release()
    }
  }

  /** Until the soonest retry is due, within the backstop poll (never zero: a due row may be mid-claim elsewhere). */
  private async idleWait(): Promise<number> {
    const { dueInMs } = await pendingAlertDeliveries(this.pool, [this.sink.name])
    return dueInMs === null ? IDLE_POLL_MS : Math.max(MIN_WAIT_MS, Math.min(IDLE_POLL_MS, dueInMs))
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      const self = this
      function done() {
        clearTimeout(timer)
        self.wake = undefined
        resolve()
      }
      this.wake = done
    })
  }
}
