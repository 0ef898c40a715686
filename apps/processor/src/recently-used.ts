import type { RunState } from '@interlock/domain'

/** A run stream folded up to a version. */
export interface HeldRunState {
  readonly state: RunState
  readonly version: number
}

/**
 * What this process saw last, by key, least recently set first out beyond `capacity`: the run streams it
 * folded, the timers it delivered. Reading an entry leaves its place alone (every write of a run stream
 * sets it again, and moving entries on reads cost more than the rare re-read it saves). Only ever a
 * shortcut: a held run state still has its version checked by the append, so a stale one (another
 * process wrote since) costs a conflict and a read, never a wrong decision; a forgotten timer is decided
 * again, once, by its command id.
 */
export class RecentlyUsed<V> {
  private readonly entries = new Map<string, V>()
  private readonly capacity: number

  constructor(capacity: number) {
    this.capacity = capacity
  }

  get(key: string): V | undefined {
    return this.entries.get(key)
  }

  set(key: string, value: V): void {
    // Re-inserting moves the entry to the back of the eviction order.
    this.entries.delete(key)
    this.entries.set(key, value)
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next()
      if (oldest.done !== true) this.entries.delete(oldest.value)
    }
  }

  delete(key: string): void {
    this.entries.delete(key)
  }

  get size(): number {
    return this.entries.size
  }
}
