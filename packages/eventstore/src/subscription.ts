import type pg from 'pg'
import type { Checkpoint } from './checkpoint.ts'
import type { TaggedEvent } from './codec.ts'
import type { EventStore, RecordedEvent } from './event-store.ts'
import {
  advanceSubscriptionCheckpoint,
  ensureSubscription,
  type Queryable,
  resetSubscriptionCheckpoint,
} from './sql.ts'

/**
 * Handles one batch of events. In a transactional subscription `tx` is the transaction the checkpoint is
 * stored in: a projection that writes its rows with it is exactly-once. In an at-least-once subscription
 * `tx` is undefined: a reactor with outside effects runs outside any transaction and must be idempotent.
 */
export type SubscriptionHandler<E extends TaggedEvent> = (
  events: ReadonlyArray<RecordedEvent<E>>,
  context: { readonly tx: pg.PoolClient | undefined },
) => Promise<void>

export interface SubscriptionOptions {
  /** Events per batch (default 500). */
  readonly batchSize?: number
  /** The backstop poll when no wake-up arrives (default 1 s). */
  readonly pollIntervalMs?: number
  /** False for reactors: no transaction around the handler, checkpoint stored after it (default true). */
  readonly transactional?: boolean
  /** Called when a batch fails; the batch is retried with backoff, never skipped. */
  readonly onError?: (error: unknown, attempt: number) => void
}

export type SubscriptionState = 'standby' | 'active' | 'stopped'

const DEFAULT_BATCH_SIZE = 500
const DEFAULT_POLL_INTERVAL_MS = 1_000
const RETRY_BASE_MS = 50
const RETRY_MAX_MS = 5_000
/** How soon to look again while committed events wait behind an open transaction (a projection batch, a
 * timer insert): short, since the wait is usually a few milliseconds and the look is one index probe. */
const HELD_BACK_RETRY_MS = 2

/**
 * A named, checkpointed reader of the whole log: catches up from its stored checkpoint, then follows
 * live appends. One process at a time holds it (a session advisory lock on a dedicated connection);
 * others stand by and take over when the holder's connection ends.
 */
export class Subscription<E extends TaggedEvent> {
  readonly name: string
  private readonly store: EventStore<E>
  private readonly handler: SubscriptionHandler<E>
  private readonly batchSize: number
  private readonly pollIntervalMs: number
  private readonly onError: (error: unknown, attempt: number) => void
  private readonly transactional: boolean
  private running = true
  private holding = false
  private wake: (() => void) | undefined
  private woken = false
  /** The last batch read found committed events waiting behind an open transaction. */
  private heldBack = false
  private readonly idleWaiters: Array<() => void> = []
  private readonly loop: Promise<void>
  private readonly removeListener: () => void
  state: SubscriptionState = 'standby'
  checkpoint: Checkpoint | undefined

  constructor(
    store: EventStore<E>,
    name: string,
    handler: SubscriptionHandler<E>,
    options: SubscriptionOptions,
  ) {
    this.store = store
    this.name = name
    this.handler = handler
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS
    this.onError = options.onError ?? (() => {})
    this.transactional = options.transactional ?? true
    this.removeListener = store.wakeup.onAppended(() => this.nudge())
    this.loop = this.run()
  }

  /**
   * Resolves once the subscription has read everything committed before this call; on a standby (another
   * process holds the subscription), once it has found the lease taken.
   */
  caughtUp(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve)
      this.nudge()
    })
  }

  /** Stops after the batch in flight, and releases the lease so a standby takes over. */
  async stop(): Promise<void> {
    this.running = false
    this.removeListener()
    this.nudge()
    await this.loop
    this.state = 'stopped'
  }

  private nudge(): void {
    this.woken = true
    this.wake?.()
  }

  private async run(): Promise<void> {
    let failures = 0
    while (this.running) {
      let waiters: Array<() => void> = []
      try {
        if (!(await this.holdLease())) {
          // A standby has nothing of its own to catch up: the holder does that.
          for (const resolve of this.idleWaiters.splice(0)) resolve()
          await this.sleep(this.pollIntervalMs)
          continue
        }
        this.state = 'active'
        waiters = this.idleWaiters.splice(0)
        this.woken = false
        const read = await this.processBatch()
        failures = 0
        if (read >= this.batchSize) {
          this.idleWaiters.unshift(...waiters)
        } else if (this.heldBack) {
          // Committed events wait behind an older open transaction: not caught up yet; look again soon.
          this.idleWaiters.unshift(...waiters)
          await this.sleep(Math.min(this.pollIntervalMs, HELD_BACK_RETRY_MS))
        } else {
          for (const resolve of waiters) resolve()
          if (!this.woken) await this.sleep(this.pollIntervalMs)
        }
      } catch (error) {
        this.idleWaiters.unshift(...waiters)
        failures++
        this.onError(error, failures)
        await this.releaseLease()
        await this.sleep(Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (failures - 1)))
      }
    }
    await this.releaseLease()
  }

  /**
   * Returns the number of events handled. Transactional: the handler's writes and the checkpoint share one
   * transaction, which takes no transaction id until the handler writes, so reading holds no one back.
   * At-least-once: the handler runs outside any transaction (it may call slow services) and the checkpoint
   * is stored after it; a crash in between delivers the batch again.
   */
  private async processBatch(): Promise<number> {
    return this.transactional ? this.processInTransaction() : this.processAtLeastOnce()
  }

  /** Reads, hands the batch over, then stores the checkpoint: no connection is held while the handler runs. */
  private async processAtLeastOnce(): Promise<number> {
    const { after, events, checkpoint } = await this.nextBatch(this.store.pool)
    if (events.length === 0) {
      this.checkpoint = after
      return 0
    }
    await this.handler(events, { tx: undefined })
    const advanced = await advanceSubscriptionCheckpoint(this.store.pool, this.name, after, checkpoint)
    if (advanced.rowCount !== 1) {
      throw new Error(
        `subscription ${this.name}: its checkpoint moved while a batch ran (a rebuild?); retrying`,
      )
    }
    this.checkpoint = checkpoint
    return events.length
  }

  private async processInTransaction(): Promise<number> {
    const client = await this.store.pool.connect()
    let open = false
    try {
      const { after, events, checkpoint } = await this.nextBatch(client)
      if (events.length === 0) {
        this.checkpoint = after
        return 0
      }
      await client.query('begin')
      open = true
      await this.handler(events, { tx: client })
      const advanced = await advanceSubscriptionCheckpoint(client, this.name, after, checkpoint)
      if (advanced.rowCount !== 1) {
        throw new Error(
          `subscription ${this.name}: its checkpoint moved while a batch ran (a rebuild?); retrying`,
        )
      }
      if (open) await client.query('commit')
      open = false
      this.checkpoint = checkpoint
      return events.length
    } catch (error) {
      if (open) await client.query('rollback').catch(() => {})
      throw error
    } finally {
      client.release()
    }
  }

  /** The stored checkpoint and the events after it, one round trip; notes whether more is held back. */
  private async nextBatch(db: Queryable) {
    const batch = await this.store.readSubscriptionBatch(this.name, { limit: this.batchSize, tx: db })
    if (batch === undefined) throw new Error(`subscription ${this.name} has no checkpoint row`)
    this.heldBack = batch.heldBack
    return batch
  }

  private async holdLease(): Promise<boolean> {
    const key = leaseKey(this.name)
    if (this.store.leases.isHeld(key) && this.holding) return true
    this.holding = false
    await ensureSubscription(this.store.pool, this.name)
    this.holding = await this.store.leases.acquire(key)
    if (!this.holding) this.state = 'standby'
    return this.holding
  }

  private async releaseLease(): Promise<void> {
    if (!this.holding) return
    this.holding = false
    await this.store.leases.release(leaseKey(this.name))
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.wake = () => {
        this.wake = undefined
        done()
      }
    })
  }
}

function leaseKey(name: string): string {
  return `interlock-subscription:${name}`
}

/** Moves a subscription back to the start of the log (a projection rebuild replays everything). */
export async function resetSubscription(db: pg.Pool | pg.PoolClient, name: string): Promise<void> {
  await ensureSubscription(db, name)
  await resetSubscriptionCheckpoint(db, name)
}
