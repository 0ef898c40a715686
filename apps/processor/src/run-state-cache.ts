import type { RunState } from '@interlock/domain'

/** A run stream folded up to a version. */
export interface HeldRunState {
  readonly state: RunState
  readonly version: number
}

/**
 * The run streams this process folded last, by stream id, least recently used first out. A held state is
 * only a starting point: every append still expects its version, so a stale one (another process wrote
 * since) costs a conflict and a read, never a wrong decision.
 */
export class RunStateCache {
  private readonly entries = new Map<string, HeldRunState>()
  private readonly capacity: number

  constructor(capacity: number) {
    this.capacity = capacity
  }

  get(streamId: string): HeldRunState | undefined {
    const held = this.entries.get(streamId)
    if (held === undefined) return undefined
    // Re-inserting moves the entry to the back of the eviction order.
    this.entries.delete(streamId)
    this.entries.set(streamId, held)
    return held
  }

  set(streamId: string, held: HeldRunState): void {
    this.entries.delete(streamId)
    this.entries.set(streamId, held)
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next()
      if (oldest.done !== true) this.entries.delete(oldest.value)
    }
  }

  delete(streamId: string): void {
    this.entries.delete(streamId)
  }

  get size(): number {
    return this.entries.size
  }
}
