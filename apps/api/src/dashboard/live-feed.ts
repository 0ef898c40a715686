import type { Queryable } from '@interlock/eventstore'
import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { Logger } from 'pino'
import { selectReadModelHead } from './dashboard-sql.ts'

/** How often the shared poller reads the read models' head while at least one browser listens. */
export const LIVE_POLL_MS = 500
/**
 * A stream ends after this long and the browser's EventSource reconnects (after `retry`): a server that is
 * shutting down never waits on a page left open, and proxies never see an idle connection.
 */
const STREAM_LIFETIME_MS = 25_000
const RECONNECT_MS = 1_000

type Listener = (head: string) => void

/**
 * One poller for every connected browser: it reads the read models' head (projection checkpoints and dead
 * letters, a handful of rows) every LIVE_POLL_MS while anyone listens, and tells each listener when it
 * moved. Never one query per client per tick; no timer at all when nobody listens.
 */
export class LiveFeed {
  readonly #db: Queryable
  readonly #logger: Logger
  readonly #pollMs: number
  readonly #listeners = new Set<Listener>()
  #timer: NodeJS.Timeout | undefined
  #head: string | undefined
  #polling = false

  constructor(options: { readonly db: Queryable; readonly logger: Logger; readonly pollMs?: number }) {
    this.#db = options.db
    this.#logger = options.logger
    this.#pollMs = options.pollMs ?? LIVE_POLL_MS
  }

  /** Calls `listener` with the new head each time the read models advance; returns the unsubscribe. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener)
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => void this.#poll(), this.#pollMs)
      this.#timer.unref()
    }
    return () => {
      this.#listeners.delete(listener)
      if (this.#listeners.size === 0 && this.#timer !== undefined) {
        clearInterval(this.#timer)
        this.#timer = undefined
        this.#head = undefined
      }
    }
  }

  /** Browsers listening now. */
  get listeners(): number {
    return this.#listeners.size
  }

  async #poll(): Promise<void> {
    if (this.#polling) return
    this.#polling = true
    try {
      const head = await selectReadModelHead(this.#db)
      const moved = this.#head !== undefined && head !== this.#head
      this.#head = head
      if (moved) for (const listener of this.#listeners) listener(head)
    } catch (error) {
      this.#logger.warn({ err: error }, 'live feed could not read the read models head; retrying')
    } finally {
      this.#polling = false
    }
  }

  /** The SSE answer of one browser: an `advance` event each time the read models move. */
  stream(c: Context): Response {
    return streamSSE(c, async (stream) => {
      let wake: () => void = () => {}
      const pending: Array<string> = []
      const unsubscribe = this.subscribe((head) => {
        pending.push(head)
        wake()
      })
      let open = true
      const close = () => {
        open = false
        wake()
      }
      stream.onAbort(close)
      const lifetime = setTimeout(close, STREAM_LIFETIME_MS)
      lifetime.unref()
      try {
        await stream.writeSSE({ event: 'ready', data: 'listening', retry: RECONNECT_MS })
        while (open) {
          if (pending.length === 0) {
            await new Promise<void>((resolve) => {
              wake = resolve
            })
          }
          const head = pending.splice(0).at(-1)
          if (open && head !== undefined) await stream.writeSSE({ event: 'advance', data: head })
        }
      } finally {
        clearTimeout(lifetime)
        unsubscribe()
      }
    })
  }
}
