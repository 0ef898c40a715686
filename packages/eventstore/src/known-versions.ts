/**
 * The versions this process has seen streams reach, as committed facts: the log only grows (the database
 * refuses UPDATE, DELETE and TRUNCATE on events), so a stream seen committed at version n is at n or
 * beyond for good. An exact append whose expected version is at or below what is known here cannot find
 * its stream behind, and skips the index probe that looks for it; the unique key on (stream_id,
 * stream_version) still refuses a stream that moved on. Only committed reads and appends are recorded:
 * those inside a transaction the store runs once it commits, never those inside a caller's own.
 * Bounded: the streams first recorded longest ago are forgotten first, and a forgotten stream is probed
 * as before.
 *
 * The one thing that breaks the premise is restoring the database to an earlier point under a running
 * process; processes are restarted after a restore (their subscription leases and timers need it too).
 */
export class KnownVersions {
  private readonly versions = new Map<string, number>()
  private readonly capacity: number

  constructor(capacity: number) {
    this.capacity = capacity
  }

  /** True when the stream is known to have reached `version` (every stream has reached 0). */
  reached(streamId: string, version: number): boolean {
    return version === 0 || (this.versions.get(streamId) ?? 0) >= version
  }

  /** The highest version the stream was seen committed at, 0 when none is known. */
  version(streamId: string): number {
    return this.versions.get(streamId) ?? 0
  }

  /** Records that the stream was seen committed at `version`. */
  record(streamId: string, version: number): void {
    if (this.capacity === 0 || version <= 0) return
    const known = this.versions.get(streamId)
    if (known !== undefined) {
      // Raised in place: moving the stream to the back on every append cost more than re-probing the
      // few hot streams that reach the front.
      if (known < version) this.versions.set(streamId, version)
      return
    }
    if (this.versions.size >= this.capacity) {
      const oldest = this.versions.keys().next()
      if (oldest.done !== true) this.versions.delete(oldest.value)
    }
    this.versions.set(streamId, version)
  }

  /** Forgets everything (a process that cannot vouch for its cache any more). */
  clear(): void {
    this.versions.clear()
  }

  get size(): number {
    return this.versions.size
  }
}

/**
 * Sizes a growing value passes, watched from the first one seen: `passed` is true once each time the
 * value reaches the next size beyond those it had already reached when watching began (how the store
 * knows a young log has grown fourfold, never taking an old log's size for growth).
 */
export class GrowthSteps {
  private readonly sizes: ReadonlyArray<bigint>
  private next: number | undefined

  constructor(sizes: ReadonlyArray<bigint>) {
    this.sizes = sizes
  }

  passed(value: bigint): boolean {
    const beyond = this.sizes.findIndex((size) => size > value)
    const step = beyond === -1 ? this.sizes.length : beyond
    if (this.next === undefined) {
      this.next = step
      return false
    }
    if (step <= this.next) return false
    this.next = step
    return true
  }
}
