import { Data } from 'effect'
import type { ExpectedVersion } from './expected-version.ts'

/** Someone else appended to the stream first: reload the stream, decide again, append again. */
export class StreamVersionConflict extends Data.TaggedError('StreamVersionConflict')<{
  readonly streamId: string
  readonly expected: ExpectedVersion
  /** The stream's version when the append was refused; undefined when a concurrent writer won the race. */
  readonly actual: number | undefined
}> {
  override get message(): string {
    const expected = this.expected === 'no_stream' ? 'no stream' : `version ${String(this.expected)}`
    const actual =
      this.actual === undefined ? 'a concurrent append won the race' : `it is at version ${this.actual}`
    return `Stream ${this.streamId} was expected at ${expected} but ${actual}; reload it and decide again.`
  }
}

/**
 * A many-stream append met a unique violation: a concurrent writer appended one of its streams at the same
 * version first, or one of its commands had been appended before. Nothing was written (inside a
 * transaction, the transaction is aborted); append the streams one by one to find out which and why.
 */
export class BatchAppendRefused extends Data.TaggedError('BatchAppendRefused')<{
  readonly streams: number
  readonly detail: string
}> {
  override get message(): string {
    return `An append to ${this.streams} streams was refused as a whole (${this.detail}); append them one by one.`
  }
}

/** A stored event could not be turned back into a domain event: a poison event, surfaced, never dropped. */
export class EventDecodeFailed extends Data.TaggedError('EventDecodeFailed')<{
  readonly streamId: string
  readonly streamVersion: number
  readonly type: string
  readonly schemaVersion: number
  readonly reason: string
}> {
  override get message(): string {
    return `Event ${this.type} v${this.schemaVersion} at ${this.streamId}@${this.streamVersion} cannot be decoded: ${this.reason}`
  }
}

/** A subscription is already held by another process; this one waits as a standby. */
export class SubscriptionHeldElsewhere extends Data.TaggedError('SubscriptionHeldElsewhere')<{
  readonly name: string
}> {
  override get message(): string {
    return `Subscription ${this.name} is held by another process; this one stands by and takes over if it stops.`
  }
}

/** A transaction the store ran ended in ROLLBACK at its COMMIT: a statement in it had failed. Nothing was written. */
export class TransactionRolledBack extends Data.TaggedError('TransactionRolledBack')<{
  readonly detail: string
}> {
  override get message(): string {
    return `the transaction was rolled back at commit: ${this.detail}; nothing in it was written`
  }
}
