export {
  type Checkpoint,
  compareCheckpoints,
  formatCheckpoint,
  parseCheckpoint,
  START,
} from './checkpoint.ts'
export {
  type EncodedEvent,
  type EventCodec,
  type EventVersioning,
  makeEventCodec,
  type RawEvent,
  rawCodec,
  type TaggedEvent,
  type Upcaster,
} from './codec.ts'
export {
  type CommandOptions,
  type CommandOutcome,
  handleCommand,
  VERSION_CONFLICT_RETRY,
  versionConflictBackoff,
} from './command-handler.ts'
export type { Decider } from './decider.ts'
export {
  BatchAppendRefused,
  EventDecodeFailed,
  StreamVersionConflict,
  SubscriptionHeldElsewhere,
  TransactionRolledBack,
} from './errors.ts'
export {
  type AppendOptions,
  type AppendResult,
  EventStore,
  type EventStoreOptions,
  type ReadAllResult,
  type RecordedEvent,
  type StreamAppend,
  type StreamAppendOutcome,
} from './event-store.ts'
export type { ExpectedVersion } from './expected-version.ts'
export { EventMetadata } from './metadata.ts'
export type { AppendGuard, Queryable } from './sql.ts'
export {
  resetSubscription,
  Subscription,
  type SubscriptionHandler,
  type SubscriptionOptions,
  type SubscriptionState,
} from './subscription.ts'
