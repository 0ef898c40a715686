import pg from 'pg'
import { NOTIFY_CHANNEL, notifyAppended } from './sql.ts'

/**
 * At most one NOTIFY per this interval per process. A NOTIFY takes a global lock at commit and is a
 * transaction of its own (an xid, a commit record), so it is kept off the append path (appends never
 * notify inside their transaction) and coalesced here; readers in this process are woken at once, readers
 * elsewhere within this interval.
 */
const NOTIFY_MIN_INTERVAL_MS = 20

/**
 * Wakes log readers when events are appended: at once for readers in this process, and through a
 * payload-free LISTEN/NOTIFY hint for readers in other processes. Readers keep a slow poll as backstop,
 * so a lost hint only delays them.
 */
export class LogWakeup {
  private readonly listeners = new Set<() => void>()
  private readonly pool: pg.Pool
  private readonly notify: boolean
  private notifyScheduled = false
  private lastNotifyAt = 0
  private listenClient: pg.Client | undefined

  constructor(pool: pg.Pool, notify: boolean) {
    this.pool = pool
    this.notify = notify
  }

  /** Registers a listener; returns the function that removes it. */
  onAppended(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Called after an append committed. */
  appended(): void {
    this.wakeLocal()
    if (this.notify) this.scheduleNotify()
  }

  /**
   * Listens for appends made by other processes. Idempotent. A dropped LISTEN connection is reopened
   * on the next call; until then the readers' poll covers.
   */
  async listen(connectionString: string): Promise<void> {
    if (this.listenClient !== undefined) return
    const client = new pg.Client({ connectionString })
    this.listenClient = client
    client.on('notification', () => this.wakeLocal())
    client.on('error', () => {
      if (this.listenClient === client) this.listenClient = undefined
      client.end().catch(() => {})
    })
    await client.connect()
    await client.query(`listen ${NOTIFY_CHANNEL}`)
  }

  async close(): Promise<void> {
    const client = this.listenClient
    this.listenClient = undefined
    this.listeners.clear()
    await client?.end().catch(() => {})
  }

  private wakeLocal(): void {
    for (const listener of this.listeners) listener()
  }

  private scheduleNotify(): void {
    if (this.notifyScheduled) return
    this.notifyScheduled = true
    const wait = Math.max(0, this.lastNotifyAt + NOTIFY_MIN_INTERVAL_MS - Date.now())
    setTimeout(() => {
      this.notifyScheduled = false
      this.lastNotifyAt = Date.now()
      // A failed hint is not an error: readers in other processes poll.
      notifyAppended(this.pool).catch(() => {})
    }, wait).unref()
  }
}
