import type { RecordedEvent, TaggedEvent } from '@interlock/eventstore'
import type pg from 'pg'

/**
 * A read model built from the log. `apply` writes its rows with `tx`, the transaction its checkpoint is
 * stored in, so each event is applied exactly once. Everything it writes lives in `tables`, which a
 * rebuild empties before replaying the log from the start.
 */
export interface Projection<E extends TaggedEvent> {
  /** Also names its subscription (`projection:<name>`); bump a suffix to rebuild into a new version. */
  readonly name: string
  readonly tables: ReadonlyArray<string>
  readonly apply: (events: ReadonlyArray<RecordedEvent<E>>, tx: pg.ClientBase) => Promise<void>
}

export function subscriptionName(projection: { readonly name: string }): string {
  return `projection:${projection.name}`
}
