import {
  type EventStore,
  type RecordedEvent,
  resetSubscription,
  Subscription,
  type TaggedEvent,
} from '@interlock/eventstore'
import type pg from 'pg'
import type { Projection } from './projection.ts'
import { subscriptionName } from './projection.ts'

export interface RunnerOptions {
  readonly batchSize?: number
  readonly pollIntervalMs?: number
  readonly onError?: (projection: string, error: unknown, attempt: number) => void
}

/** Each projection as its own subscription: one slow or failing projection does not hold back the others. */
export class ProjectionRunner<E extends TaggedEvent> {
  private readonly store: EventStore<E>
  private readonly projections: ReadonlyArray<Projection<E>>
  private readonly subscriptions: Array<Subscription<E>> = []

  constructor(store: EventStore<E>, projections: ReadonlyArray<Projection<E>>) {
    this.store = store
    this.projections = projections
  }

  start(options: RunnerOptions = {}): void {
    for (const projection of this.projections) {
      this.subscriptions.push(
        new Subscription(
          this.store,
          subscriptionName(projection),
          (events, { tx }) => applyInTransaction(projection, events, tx),
          {
            ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
            ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
            onError: (error, attempt) => options.onError?.(projection.name, error, attempt),
          },
        ),
      )
    }
  }

  /** Resolves when every projection has applied everything committed before the call. */
  async caughtUp(): Promise<void> {
    await Promise.all(this.subscriptions.map((subscription) => subscription.caughtUp()))
  }

  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((subscription) => subscription.stop()))
  }
}

/**
 * Rebuilds a projection from position 0: empties its tables and resets its checkpoint in one
 * transaction, after which its subscription (here or in any processor) replays the whole log.
 */
export async function rebuildProjection<E extends TaggedEvent>(
  store: EventStore<E>,
  projection: Projection<E>,
): Promise<void> {
  const name = subscriptionName(projection)
  await store.transaction(async (tx) => {
    // Resetting the checkpoint takes its row lock first: a batch in flight commits before the tables empty.
    await resetSubscription(tx, name)
    for (const table of projection.tables) await tx.query(`truncate ${quoteTable(table)}`)
  })
}

function applyInTransaction<E extends TaggedEvent>(
  projection: Projection<E>,
  events: ReadonlyArray<RecordedEvent<E>>,
  tx: pg.PoolClient | undefined,
): Promise<void> {
  if (tx === undefined)
    throw new Error(`projection ${projection.name} must run in a transactional subscription`)
  return projection.apply(events, tx)
}

/** Table names come from projection definitions in code, never from input; quoted all the same. */
function quoteTable(table: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(table))
    throw new Error(`projection table name ${table} is not a plain identifier`)
  return `"${table}"`
}
