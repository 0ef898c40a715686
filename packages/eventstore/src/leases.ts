import type pg from 'pg'
import { advisoryUnlock, tryAdvisoryLock } from './sql.ts'

/**
 * The advisory-lock leases of one event store (one per subscription it runs), all held on one dedicated
 * connection, so holding many subscriptions costs one connection, not one pooled connection each. Whoever
 * holds a key's lock in Postgres holds the lease; when this connection drops, Postgres releases every lock
 * it held and other processes take over, and `isHeld` turns false here so the subscriptions stand by.
 */
export class Leases {
  private readonly open: () => pg.Client
  private readonly held = new Set<string>()
  private client: Promise<pg.Client> | undefined
  /** One query at a time on the lease connection (pg deprecates overlapping queries on one client). */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(open: () => pg.Client) {
    this.open = open
  }

  /** True when this process now holds the lease; false when another process, or another subscription here, does. */
  async acquire(key: string): Promise<boolean> {
    if (this.held.has(key)) return false
    const client = await this.connection()
    const locked = (await this.serially(() => tryAdvisoryLock(client, key))).rows[0]?.locked === true
    if (locked) this.held.add(key)
    return locked
  }

  isHeld(key: string): boolean {
    return this.held.has(key)
  }

  async release(key: string): Promise<void> {
    if (!this.held.delete(key) || this.client === undefined) return
    const client = await this.client
    await this.serially(() => advisoryUnlock(client, key)).catch(() => {})
  }

  async close(): Promise<void> {
    this.held.clear()
    const client = this.client
    this.client = undefined
    if (client !== undefined) await (await client).end().catch(() => {})
  }

  private serially<T>(query: () => Promise<T>): Promise<T> {
    const result = this.queue.then(query, query)
    this.queue = result.catch(() => {})
    return result
  }

  private connection(): Promise<pg.Client> {
    if (this.client !== undefined) return this.client
    const client = this.open()
    client.on('error', () => {
      // The locks went with the connection: every lease here is lost.
      this.held.clear()
      if (this.client === connecting) this.client = undefined
      client.end().catch(() => {})
    })
    const connecting = client.connect().then(() => client)
    this.client = connecting
    connecting.catch(() => {
      if (this.client === connecting) this.client = undefined
    })
    return connecting
  }
}
